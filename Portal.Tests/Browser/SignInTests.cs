using Microsoft.Playwright;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>The ログイン画面 and the メニュー画面 in Chromium, against the portal on PostgreSQL.</summary>
[Collection(BrowserCollection.Name)]
public class SignInTests(BrowserPortal browser)
{
    [Fact]
    public async Task A_customer_signs_in_and_sees_the_menu_with_name_and_notices()
    {
        var customer = await browser.Portal.CreateCustomerAsync("北 新太郎");
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/login?returnUrl=*");
        await BrowserPortal.ScreenshotAsync(page, "login-desktop");

        await BrowserPortal.FillLoginAsync(page, customer.LoginId, customer.Password);
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await BrowserPortal.WaitForInteractiveAsync(page);

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "メニュー画面" })).ToBeVisibleAsync();
        await Expect(page.GetByText("北 新太郎 様")).ToBeVisibleAsync();
        await Expect(page.GetByText("前回ログイン日時：初めてのログインです")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "【お知らせ】" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "ログアウト" })).ToBeVisibleAsync();
        await Expect(page.GetByText("ワンタイムパスワードのご利用をおすすめします")).ToBeVisibleAsync();
        await Expect(page.GetByText("過去のお知らせ：ペイジーの取扱い開始")).ToHaveCountAsync(0);
        // As in the guide: the first notice is chosen, so 内容表示 works at once.
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "内容表示" })).ToBeEnabledAsync();
        await BrowserPortal.ScreenshotAsync(page, "menu-desktop");

        // The next sign-in shows when this one happened.
        await page.GetByRole(AriaRole.Button, new() { Name = "ログアウト" }).ClickAsync();
        await page.WaitForURLAsync("**/login?reason=signedout");
        await BrowserPortal.SignInAsync(page, customer);
        await Expect(page.GetByText(new System.Text.RegularExpressions.Regex(@"前回ログイン日時：\d{4}年\d{1,2}月\d{1,2}日 \d{1,2}時\d{2}分"))).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task At_phone_width_login_and_menu_fit_without_sideways_scrolling()
    {
        var customer = await browser.Portal.CreateCustomerAsync("南 花子");
        var page = await browser.NewPageAsync(BrowserPortal.Phone);
        await page.GotoAsync("/login");
        await Expect(page.GetByLabel("ログインID")).ToBeEnabledAsync();
        Assert.True(await FitsWidthAsync(page), "login screen scrolls sideways at 390 px");
        await BrowserPortal.ScreenshotAsync(page, "login-phone");

        await BrowserPortal.SignInAsync(page, customer);
        await Expect(page.GetByText("ワンタイムパスワードのご利用をおすすめします")).ToBeVisibleAsync();
        Assert.True(await FitsWidthAsync(page), "menu scrolls sideways at 390 px");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "内容表示" })).ToBeEnabledAsync();
        await BrowserPortal.ScreenshotAsync(page, "menu-phone");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_wrong_password_gets_one_message_and_no_session()
    {
        var customer = await browser.Portal.CreateCustomerAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/login");
        await BrowserPortal.FillLoginAsync(page, customer.LoginId, "Wrong-pass-1");
        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "ログインIDまたはログインパスワードが正しくありません。" })).ToBeVisibleAsync();
        Assert.EndsWith("/login", new Uri(page.Url).AbsolutePath);

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/login?returnUrl=*");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_and_say_whom_to_call()
    {
        var customer = await browser.Portal.CreateCustomerAsync();
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/login");
        var failed = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "正しくありません" });
        for (var i = 1; i <= 4; i++)
        {
            await BrowserPortal.FillLoginAsync(page, customer.LoginId, $"Wrong-pass-{i}");
            await Expect(failed).ToBeVisibleAsync();
            // The password field empties when the attempt is over; only then is the next one counted.
            await Expect(page.GetByLabel("ログインパスワード")).ToHaveValueAsync("");
        }
        await BrowserPortal.FillLoginAsync(page, customer.LoginId, "Wrong-pass-5");
        var locked = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "ログインIDをロックしています" });
        await Expect(locked).ToBeVisibleAsync();
        await Expect(locked).ToContainTextAsync("ヘルプデスク");
        await BrowserPortal.ScreenshotAsync(page, "login-locked");

        // Even the right password is refused while locked.
        await BrowserPortal.FillLoginAsync(page, customer.LoginId, customer.Password);
        await Expect(locked).ToBeVisibleAsync();
        Assert.EndsWith("/login", new Uri(page.Url).AbsolutePath);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Bad_input_gets_messages_next_to_the_fields()
    {
        var page = await browser.NewPageAsync();
        await page.GotoAsync("/login");
        await BrowserPortal.FillLoginAsync(page, new string('a', 10_000), "<script>alert(1)</script>");
        await Expect(page.GetByText("ログインIDは32文字以内で入力してください。")).ToBeVisibleAsync();

        await page.GetByLabel("ログインID").FillAsync("' OR '1'='1");
        await page.GetByRole(AriaRole.Button, new() { Name = "ログイン", Exact = true }).ClickAsync();
        await Expect(page.GetByText("ログインIDは半角英数字で入力してください。")).ToBeVisibleAsync();

        await page.GetByLabel("ログインID").FillAsync("");
        await page.GetByLabel("ログインパスワード").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "ログイン", Exact = true }).ClickAsync();
        await Expect(page.GetByText("ログインIDを入力してください。")).ToBeVisibleAsync();
        await Expect(page.GetByText("ログインパスワードを入力してください。")).ToBeVisibleAsync();
        await Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Signing_out_ends_the_session()
    {
        var customer = await browser.Portal.CreateCustomerAsync();
        var page = await browser.NewPageAsync();
        await BrowserPortal.SignInAsync(page, customer);
        await page.GetByRole(AriaRole.Button, new() { Name = "ログアウト" }).ClickAsync();
        await page.WaitForURLAsync("**/login?reason=signedout");
        await Expect(page.GetByText("ログアウトしました。ご利用ありがとうございました。")).ToBeVisibleAsync();

        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/login?returnUrl=*");
        await page.Context.CloseAsync();
    }

    private static Task<bool> FitsWidthAsync(IPage page) =>
        page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth + 1");
}
