using Microsoft.Playwright;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>The portal, MudBlazor and the token app all work under the content security policy.</summary>
[Collection(BrowserCollection.Name)]
public class ContentSecurityPolicyTests(BrowserPortal browser)
{
    [Fact]
    public async Task No_screen_breaks_the_policy()
    {
        var customer = await browser.Portal.CreateCustomerAsync();
        var page = await browser.NewPageAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && message.Text.Contains("Content Security Policy")) violations.Add(message.Text);
        };

        await BrowserPortal.SignInAsync(page, customer);
        await page.GetByRole(AriaRole.Button, new() { Name = "内容表示" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog)).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "閉じる" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "ワンタイムパスワード申請" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "トークン発行" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Dialog).GetByLabel("携帯メールアドレス")).ToBeVisibleAsync();
        await page.GotoAsync("/token/");
        await Expect(page.GetByText("このアプリはネットワーク通信を行います。よろしいですか？")).ToBeVisibleAsync();

        Assert.Empty(violations);
        await page.Context.CloseAsync();
    }
}
