using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// The acceptance scenarios end to end: the portal in one browser context, the token app in a second one with a phone
/// viewport (the URL taken from the mail MailDev received, every code read from the app's screen), and the bank's admin
/// console in a third.
/// </summary>
[Collection(BrowserCollection.Name)]
public class EnrollmentScenarioTests(BrowserPortal browser)
{
    /// <summary>
    /// Scenarios 1 to 5 in order, as one customer lives them, with scenario 6 alongside: an admin sees the status and
    /// the audit trail change after each, unlocks in scenario 4, and at the end re-sends a new issue's mail and
    /// force-cancels it, which ends the customer's open session.
    /// </summary>
    [Fact]
    public async Task Scenarios_1_to_6_a_customer_enrolls_signs_in_is_refused_a_replay_locked_out_cancels_while_an_admin_follows()
    {
        var customer = await browser.Portal.CreateCustomerAsync("北 新太郎");
        var mobile = $"kita{Guid.NewGuid():N}"[..14] + "@docomo.ne.jp";
        var admin = await browser.Portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        await browser.Portal.MakeAdminAsync(admin.Customer.UserId);
        var console = await browser.NewPageAsync();
        await BrowserPortal.SignInWithTokenAsync(console, admin);
        await AdminSeesAsync(console, customer.UserId, "未登録");
        await Expect(console.GetByText("まだ履歴はありません。")).ToBeVisibleAsync();

        var portal = await browser.NewPageAsync();
        await BrowserPortal.SignInAsync(portal, customer);

        // メニュー画面 → ワンタイムパスワード申請 (未登録) → トークン発行 → the mail → the token app on the phone →
        // back in the portal: 申請済 → ワンタイムパスワード利用開始 with the app's code → 利用中.
        var (url, serviceId, userId) = await OtpSteps.IssueTokenAsync(portal, mobile, "2580", shots: "");
        var phone = await browser.NewPageAsync(BrowserPortal.Phone);
        var code = await OtpSteps.SetUpTokenAppAsync(phone, url, serviceId, userId, "2580", shots: "");
        var shown = phone.GetByTestId("otp-code");
        await OtpSteps.StartUseAsync(portal, code, shots: "");
        await AdminSeesAsync(console, customer.UserId, "利用中",
            ("トークン発行", "成功"), ("トークンアプリの初期設定", "成功"), ("ワンタイムパスワード利用開始", "成功"));

        // The phone keeps showing codes without a network, after a reload too.
        await phone.Context.SetOfflineAsync(true);
        await Expect(shown).ToHaveTextAsync(OtpSteps.SixDigits());
        await phone.ReloadAsync();
        await Expect(phone.GetByTestId("otp-code")).ToHaveTextAsync(OtpSteps.SixDigits(), new() { Timeout = 30_000 });
        await Expect(phone.GetByTestId("otp-seconds")).ToBeVisibleAsync();
        var used = new HashSet<string> { code };

        // Scenario 2: sign out, sign in again: after ID + password the code screen; the app's current code → menu.
        await OtpSteps.SignOutAsync(portal);
        await OtpSteps.SignInWithPasswordAsync(portal, customer);
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード入力" })).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(portal, "otp-sign-in");
        var signInCode = await OtpSteps.FreshCodeAsync(phone, used);
        await OtpSteps.EnterCodeAsync(portal, signInCode);
        await portal.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "メニュー画面" })).ToBeVisibleAsync();
        await AdminSeesAsync(console, customer.UserId, "利用中", ("ワンタイムパスワードによるログイン", "成功"));

        // Scenario 3: the same code in a new sign-in is refused, and no session comes of it.
        await OtpSteps.SignOutAsync(portal);
        await OtpSteps.SignInWithPasswordAsync(portal, customer);
        await OtpSteps.EnterCodeAsync(portal, signInCode);
        await Expect(portal.GetByText("ワンタイムパスワードが正しくありません。")).ToBeVisibleAsync();
        await Expect(portal.GetByLabel("ワンタイムパスワード")).ToHaveValueAsync(""); // the refused code is cleared
        Assert.EndsWith("/login", new Uri(portal.Url).AbsolutePath);
        await AdminSeesAsync(console, customer.UserId, "利用中", ("使用済みワンタイムパスワードの拒否", "失敗"));

        // Scenario 4: with that refusal, four more wrong codes lock the account; the bank unlocks it; sign-in works.
        for (var i = 0; i < 4; i++)
        {
            await OtpSteps.EnterCodeAsync(portal, "000000");
            // Each refusal clears the field; wait for it, or the next code would meet a form still busy.
            if (i < 3) await Expect(portal.GetByLabel("ワンタイムパスワード")).ToHaveValueAsync("");
        }
        await Expect(portal.GetByRole(AriaRole.Alert).Filter(new() { HasText = "ログインIDをロックしています" })).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(portal, "otp-locked");
        await AdminSeesAsync(console, customer.UserId, "利用中", ("ログインIDのロック", "成功"));
        await Expect(console.GetByTestId("detail-lock")).ToContainTextAsync("ロック中");
        await AdminActsAsync(console, "ロック解除", "お客様からのお申し出");
        await Expect(console.GetByTestId("detail-lock")).ToHaveTextAsync("—");
        await Expect(TrailRow(console, "管理者によるロック解除")).ToContainTextAsync(admin.Customer.LoginId);
        await OtpSteps.SignInWithPasswordAsync(portal, customer);
        await OtpSteps.EnterCodeAsync(portal, await OtpSteps.FreshCodeAsync(phone, used));
        await portal.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await BrowserPortal.WaitForInteractiveAsync(portal);

        // Scenario 5: ワンタイムパスワード利用解除 with a current code → 未登録 → the next sign-in asks no code.
        await portal.GetByRole(AriaRole.Link, new() { Name = "ワンタイムパスワード申請" }).ClickAsync();
        await portal.GetByRole(AriaRole.Button, new() { Name = "ワンタイムパスワード利用解除" }).ClickAsync();
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード利用解除", Exact = true })).ToBeVisibleAsync();
        await portal.GetByLabel("ワンタイムパスワード").FillAsync(await OtpSteps.FreshCodeAsync(phone, used));
        await BrowserPortal.ScreenshotAsync(portal, "cancel-use");
        await portal.GetByRole(AriaRole.Button, new() { Name = "実行" }).ClickAsync();
        await Expect(portal.GetByText("ワンタイムパスワードの利用解除が完了しました。")).ToBeVisibleAsync();
        await portal.GetByRole(AriaRole.Link, new() { Name = "申請内容選択画面へ" }).ClickAsync();
        await Expect(portal.GetByTestId("otp-status")).ToHaveTextAsync("未登録");
        await AdminSeesAsync(console, customer.UserId, "未登録", ("ワンタイムパスワード利用解除", "成功"));
        await OtpSteps.SignOutAsync(portal);
        await BrowserPortal.SignInAsync(portal, customer);
        await phone.Context.CloseAsync();

        // Scenario 6's end: a new issue whose mail the customer says never came; the admin re-sends it, then, the
        // phone being lost after all, force-cancels. The customer's open session ends.
        var newMobile = $"kita{Guid.NewGuid():N}"[..14] + "@docomo.ne.jp";
        var (firstUrl, _, _) = await OtpSteps.IssueTokenAsync(portal, newMobile, "7413", shots: null);

        await AdminSeesAsync(console, customer.UserId, "申請済", ("トークン発行", "成功"));
        await AdminActsAsync(console, "ダウンロードメール再送", "お客様からのお申し出");
        await Expect(TrailRow(console, "管理者によるダウンロードメール再送")).ToContainTextAsync(admin.Customer.LoginId);
        var resent = await MailDev.WaitForMailAsync(newMobile, m => !m.Text.Contains(firstUrl));
        Assert.NotEqual(firstUrl, TokenHelpers.ReadIssueMail(resent.Text).Url);

        await AdminActsAsync(console, "強制利用解除", "携帯電話の紛失");
        await Expect(console.GetByTestId("otp-status")).ToHaveTextAsync("未登録");
        await Expect(TrailRow(console, "管理者による強制利用解除")).ToContainTextAsync(admin.Customer.LoginId);
        await BrowserPortal.ScreenshotAsync(console, "admin-detail-after-scenarios");
        await portal.ReloadAsync();
        await portal.WaitForURLAsync("**/login?returnUrl=*");

        await portal.Context.CloseAsync();
        await console.Context.CloseAsync();
    }

    /// <summary>Scenario 6's admin opens the customer's detail afresh and finds the status and these trail rows.</summary>
    private static async Task AdminSeesAsync(IPage console, string customerId, string status, params (string Event, string Outcome)[] rows)
    {
        await console.GotoAsync($"/admin/otp/{customerId}");
        await Expect(console.GetByTestId("otp-status")).ToHaveTextAsync(status);
        foreach (var (eventLabel, outcome) in rows)
            await Expect(TrailRows(console, eventLabel).Filter(new() { HasText = outcome }).First).ToBeVisibleAsync();
    }

    /// <summary>The trail rows whose 操作 cell is exactly this event (one event's name can be part of another's).</summary>
    private static ILocator TrailRows(IPage console, string eventLabel) =>
        console.GetByRole(AriaRole.Row).Filter(new() { Has = console.GetByRole(AriaRole.Cell, new() { Name = eventLabel, Exact = true }) });

    /// <summary>The newest of them: the trail is newest first.</summary>
    private static ILocator TrailRow(IPage console, string eventLabel) => TrailRows(console, eventLabel).First;

    private static async Task AdminActsAsync(IPage console, string action, string reason)
    {
        await BrowserPortal.WaitForInteractiveAsync(console);
        await console.GetByRole(AriaRole.Button, new() { Name = action }).ClickAsync();
        await AdminConsoleTests.ChooseReasonAndExecuteAsync(console, reason);
        await Expect(console.GetByText("操作が完了しました。")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_token_app_sends_nothing_when_the_customer_says_no()
    {
        var phone = await browser.NewPageAsync(BrowserPortal.Phone);
        await phone.GotoAsync("/token/?code=" + new string('A', 43));
        await Expect(phone.GetByText("このアプリはネットワーク通信を行います。よろしいですか？")).ToBeVisibleAsync();
        var apiCalls = new List<string>();
        phone.Request += (_, request) => { if (request.Url.Contains("/api/")) apiCalls.Add(request.Url); };
        await phone.GetByRole(AriaRole.Button, new() { Name = "いいえ" }).ClickAsync();
        await Expect(phone.GetByText("アプリを終了しました。")).ToBeVisibleAsync();
        Assert.Empty(apiCalls);
        await phone.Context.CloseAsync();
    }

    [Fact]
    public async Task A_tampered_download_link_is_refused_after_consent()
    {
        var phone = await browser.NewPageAsync(BrowserPortal.Phone);
        await phone.GotoAsync("/token/?code=" + new string('B', 43));
        await phone.GetByRole(AriaRole.Button, new() { Name = "はい" }).ClickAsync();
        await Expect(phone.GetByText(new Regex("このURLは無効か、有効期限が切れています"))).ToBeVisibleAsync();
        await phone.Context.CloseAsync();
    }
}
