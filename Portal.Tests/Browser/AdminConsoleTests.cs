using Microsoft.Playwright;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class AdminConsoleTests(BrowserPortal browser)
{
    [Fact]
    public async Task An_admin_signs_in_with_a_code_and_finds_a_customer_in_the_status_list()
    {
        var admin = await browser.Portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        await browser.Portal.MakeAdminAsync(admin.Customer.UserId);
        var marker = "一覧" + Guid.NewGuid().ToString("N")[..6];
        var customer = await browser.Portal.CreateCustomerAsync(marker + " 花子");

        var page = await browser.NewPageAsync();
        await page.GotoAsync("/login");
        await BrowserPortal.FillLoginAsync(page, admin.Customer.LoginId, admin.Customer.Password);
        // The admin's own token: the next step's code (the current one went to start of use).
        await page.GetByLabel("ワンタイムパスワード").FillAsync(TokenHelpers.CodeAt(admin.Token, DateTimeOffset.UtcNow.AddSeconds(30)));
        await page.GetByRole(AriaRole.Button, new() { Name = "ログイン", Exact = true }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await BrowserPortal.WaitForInteractiveAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "管理者メニュー" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード登録状況一覧" })).ToBeVisibleAsync();
        await page.GetByLabel("ログインID・氏名で検索").FillAsync(marker);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = customer.LoginId });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("未登録");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = admin.Customer.LoginId })).ToHaveCountAsync(0);
        await Expect(page.GetByText("1〜1件（全1件）")).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(page, "admin-otp-list");
        await page.Context.CloseAsync();
    }
}
