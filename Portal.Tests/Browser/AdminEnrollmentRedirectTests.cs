using Microsoft.Playwright;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>The admin policy's refusal inside the circuit: Routes.razor, not the admin layout, shows the way to the OTP.</summary>
[Collection(BrowserCollection.Name)]
public class AdminEnrollmentRedirectTests(BrowserPortal browser)
{
    [Fact]
    public async Task An_admin_signed_in_with_password_only_who_follows_the_admin_link_is_sent_to_enroll()
    {
        var admin = await browser.Portal.CreateCustomerAsync("管理 次郎");
        await browser.Portal.MakeAdminAsync(admin.UserId);
        var page = await browser.NewPageAsync();
        await BrowserPortal.SignInAsync(page, admin); // no OTP in use: the password alone signs in

        // Interactive navigation: the circuit is live, so the router, not a page load, answers this click.
        await page.GetByRole(AriaRole.Link, new() { Name = "管理者メニュー" }).ClickAsync();
        await page.WaitForURLAsync(url => new Uri(url).PathAndQuery == "/otp?enroll=admin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード申請登録画面" })).ToBeVisibleAsync();
        await Expect(page.GetByText("管理画面を利用するには")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード登録状況一覧" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
