using Microsoft.Playwright;
using Portal.Domain;
using Portal.Domain.Notices;

namespace Portal.Tests.Support;

/// <summary>
/// One portal on Kestrel (real PostgreSQL) and one headless Debian Chromium, shared by the browser tests.
/// Each test opens its own browser context and signs in its own customer.
/// </summary>
public class BrowserPortal : IAsyncLifetime
{
    private static readonly string ChromiumPath =
        Environment.GetEnvironmentVariable("PORTAL_TEST_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public PortalFactory Portal { get; } = new();

    /// <summary>Configuration for this portal, e.g. short session timeouts; applied before it starts.</summary>
    protected BrowserPortal With(string key, string value)
    {
        Portal.With(key, value);
        return this;
    }
    public Uri BaseAddress { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;

    public static readonly DesktopSize Desktop = new(1280, 860);
    public static readonly DesktopSize Phone = new(390, 844);

    public async ValueTask InitializeAsync()
    {
        await Portal.InitializeAsync();
        BaseAddress = Portal.StartOnKestrel();
        await SeedNoticesAsync();

        // Two cores run the portal, PostgreSQL, MailDev, Chromium and the token app's WebAssembly boot at once:
        // give assertions the same 15 s as actions rather than Playwright's 5 s default.
        Assertions.SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        Browser = await LaunchChromiumAsync(_playwright);
    }

    /// <summary>Debian's headless Chromium with the flags these machines need, plus any of the caller's.</summary>
    public static Task<IBrowser> LaunchChromiumAsync(IPlaywright playwright, params string[] extraArgs) =>
        playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic", .. extraArgs],
        });

    public Task<IPage> NewPageAsync(DesktopSize? size = null) => NewPageAsync(Browser, BaseAddress, size);

    /// <summary>A page in a new browser context (its own cookies) on that site, in Japanese and Japan time.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, Uri baseAddress, DesktopSize? size = null, bool ignoreHttpsErrors = false)
    {
        var viewport = size ?? Desktop;
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = baseAddress.ToString(),
            Locale = "ja-JP",
            TimezoneId = "Asia/Tokyo",
            ViewportSize = new ViewportSize { Width = viewport.Width, Height = viewport.Height },
            IsMobile = viewport.Width < 600,
            IgnoreHTTPSErrors = ignoreHttpsErrors,
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>Signs in through the ログイン画面 exactly as a customer does, and waits for the menu.</summary>
    public static async Task SignInAsync(IPage page, TestCustomer customer)
    {
        await page.GotoAsync("/login");
        await FillLoginAsync(page, customer.LoginId, customer.Password);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "メニュー画面" })).ToBeVisibleAsync();
        await WaitForInteractiveAsync(page);
    }

    /// <summary>Signs in a customer (or admin) whose OTP is 利用中, with a code of their token, and waits for the menu.</summary>
    public static async Task SignInWithTokenAsync(IPage page, EnrolledCustomer enrolled)
    {
        await page.GotoAsync("/login");
        await FillLoginAsync(page, enrolled.Customer.LoginId, enrolled.Customer.Password);
        // The next step's code: the current one went to the start of use.
        await page.GetByLabel("ワンタイムパスワード").FillAsync(TokenHelpers.CodeAt(enrolled.Token, DateTimeOffset.UtcNow.AddSeconds(30)));
        await page.GetByRole(AriaRole.Button, new() { Name = "ログイン", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await WaitForInteractiveAsync(page);
    }

    /// <summary>Clicks made while Blazor swaps the prerendered page for the live one can be lost; wait for the swap.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("[data-interactive=true]").WaitForAsync();

    public static async Task FillLoginAsync(IPage page, string loginId, string password)
    {
        var id = page.GetByLabel("ログインID");
        await Assertions.Expect(id).ToBeEnabledAsync(); // enabled once the circuit is interactive
        await id.FillAsync(loginId);
        await page.GetByLabel("ログインパスワード").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "ログイン", Exact = true }).ClickAsync();
    }

    /// <summary>Saves a full-page PNG under the test artifacts folder (and returns its path) to be looked at.</summary>
    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("PORTAL_TEST_ARTIFACTS") is { Length: > 0 } dir
            ? dir
            : Path.Combine(Path.GetTempPath(), "kitashin-screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }

    private async Task SeedNoticesAsync()
    {
        var today = JapanTime.Today(TimeProvider.System);
        await using var db = Portal.CreatePortalContext();
        db.Notices.AddRange(
            new Notice { PublishedOn = today.AddDays(-2), EndsOn = today.AddMonths(1), Title = "ワンタイムパスワードのご利用をおすすめします", Body = "不正送金を防ぐため、ワンタイムパスワードをご利用ください。\n申請はメニュー画面から行えます。" },
            new Notice { PublishedOn = today.AddDays(-30), EndsOn = today, Title = "年末年始のサービス休止について", Body = "12月31日21時から1月1日6時までサービスを休止します。" },
            new Notice { PublishedOn = today.AddMonths(-6), EndsOn = today.AddMonths(-3), Title = "過去のお知らせ：ペイジーの取扱い開始", Body = "税金・各種料金の払込みがご利用いただけるようになりました。" });
        await db.SaveChangesAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await Portal.DisposeAsync();
    }
}

public sealed record DesktopSize(int Width, int Height);

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserPortal>
{
    public const string Name = "browser";
}
