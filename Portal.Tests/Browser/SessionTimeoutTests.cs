using Microsoft.Playwright;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>A portal whose idle timeout is 20 s with a 12 s warning, so the real mechanism runs in seconds.</summary>
public sealed class ShortSessionPortal : BrowserPortal
{
    public ShortSessionPortal()
    {
        With("Session:IdleTimeoutMinutes", (20.0 / 60).ToString(System.Globalization.CultureInfo.InvariantCulture));
        With("Session:WarningSeconds", "12");
    }
}

[CollectionDefinition(Name)]
public sealed class ShortSessionCollection : ICollectionFixture<ShortSessionPortal>
{
    public const string Name = "short-session";
}

[Collection(ShortSessionCollection.Name)]
public class SessionTimeoutTests(ShortSessionPortal browser)
{
    [Fact]
    public async Task Idle_customers_are_warned_can_continue_and_are_then_signed_out_by_the_server()
    {
        var customer = await browser.Portal.CreateCustomerAsync();
        var page = await browser.NewPageAsync();
        await BrowserPortal.SignInAsync(page, customer);

        var warning = page.GetByRole(AriaRole.Dialog).Filter(new() { HasText = "まもなく自動的にログアウトします" });
        await Expect(warning).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await BrowserPortal.ScreenshotAsync(page, "session-warning");
        await warning.GetByRole(AriaRole.Button, new() { Name = "ログインを継続" }).ClickAsync();
        await Expect(warning).ToHaveCountAsync(0);

        // Left alone, the session ends and the login screen says why.
        await page.WaitForURLAsync("**/login?reason=timeout", new() { Timeout = 40_000 });
        await Expect(page.GetByText("一定時間操作がなかったため、自動的にログアウトしました。")).ToBeVisibleAsync();

        // The server refuses the old cookie too.
        await page.GotoAsync("/");
        await page.WaitForURLAsync("**/login?returnUrl=*");
        await page.Context.CloseAsync();
    }
}
