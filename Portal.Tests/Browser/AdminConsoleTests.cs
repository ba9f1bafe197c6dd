using Microsoft.Extensions.DependencyInjection;
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
        await BrowserPortal.SignInWithTokenAsync(page, admin);

        await page.GetByRole(AriaRole.Link, new() { Name = "管理者メニュー" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード登録状況一覧" })).ToBeVisibleAsync();
        await page.GetByLabel("ログインID・氏名で検索").FillAsync(marker);
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = customer.LoginId });
        await Expect(row).ToBeVisibleAsync();
        await Expect(row).ToContainTextAsync("未登録");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = admin.Customer.LoginId })).ToHaveCountAsync(0);
        await Expect(page.GetByText("1〜1件（全1件）")).ToBeVisibleAsync();

        // Without the search: every customer again, a page at a time.
        await page.GetByLabel("ログインID・氏名で検索").FillAsync("");
        await Expect(page.GetByText("1〜1件（全1件）")).ToHaveCountAsync(0);
        await BrowserPortal.ScreenshotAsync(page, "admin-otp-list");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_admin_unlocks_a_customer_and_force_cancels_another_whose_open_session_then_ends()
    {
        var admin = await browser.Portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        await browser.Portal.MakeAdminAsync(admin.Customer.UserId);
        var locked = await browser.Portal.CreateCustomerAsync("施錠 次郎");
        await using (var scope = browser.Portal.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<Portal.Identity.PasswordSignIn>();
            for (var i = 0; i < 5; i++) await signIn.CheckAsync(locked.LoginId, "Wrong-pass-1", null);
        }
        var phoneLost = await browser.Portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);

        // The customer who lost the phone is still signed in somewhere.
        var customerPage = await browser.NewPageAsync();
        await BrowserPortal.SignInWithTokenAsync(customerPage, phoneLost);

        var page = await browser.NewPageAsync();
        await BrowserPortal.SignInWithTokenAsync(page, admin);

        // Unlock, with a reason from the list.
        await page.GotoAsync($"/admin/otp/{locked.UserId}");
        await Expect(page.GetByTestId("detail-lock")).ToContainTextAsync("ロック中");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "ロック解除" }).ClickAsync();
        await ChooseReasonAndExecuteAsync(page, "お客様からのお申し出");
        await Expect(page.GetByText("操作が完了しました。")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("detail-lock")).ToHaveTextAsync("—");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "管理者によるロック解除" })).ToContainTextAsync(admin.Customer.LoginId);

        // Forced cancel of the lost phone: 未登録, and the customer's open session is over.
        await page.GotoAsync($"/admin/otp/{phoneLost.Customer.UserId}");
        await Expect(page.GetByTestId("otp-status")).ToHaveTextAsync("利用中");
        await BrowserPortal.WaitForInteractiveAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "強制利用解除" }).ClickAsync();
        await ChooseReasonAndExecuteAsync(page, "携帯電話の紛失");
        await Expect(page.GetByTestId("otp-status")).ToHaveTextAsync("未登録");
        await BrowserPortal.ScreenshotAsync(page, "admin-detail");

        await customerPage.ReloadAsync();
        await customerPage.WaitForURLAsync("**/login?returnUrl=*");
        await customerPage.Context.CloseAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "ダッシュボード" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ダッシュボード" })).ToBeVisibleAsync();
        await Expect(page.GetByTestId("status-counts")).ToContainTextAsync("利用中");
        await Expect(page.Locator(".mud-chart svg").First).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(page, "admin-dashboard");
        await page.Context.CloseAsync();
    }

    internal static async Task ChooseReasonAndExecuteAsync(IPage page, string reason)
    {
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("理由", new() { Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = reason }).ClickAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "実行" }).ClickAsync();
    }
}
