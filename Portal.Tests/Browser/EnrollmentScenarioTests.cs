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
public partial class EnrollmentScenarioTests(BrowserPortal browser)
{
    [GeneratedRegex("^[0-9]{6}$")]
    private static partial Regex SixDigits();

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

        // メニュー画面 → ワンタイムパスワード申請: 未登録.
        await portal.GetByRole(AriaRole.Link, new() { Name = "ワンタイムパスワード申請" }).ClickAsync();
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード申請登録画面" })).ToBeVisibleAsync();
        await Expect(portal.GetByTestId("otp-status")).ToHaveTextAsync("未登録");
        await Expect(portal.GetByRole(AriaRole.Button, new() { Name = "ワンタイムパスワード利用開始" })).ToBeDisabledAsync();
        await BrowserPortal.ScreenshotAsync(portal, "otp-menu-unregistered");

        // トークン発行: the dialog, then the result screen.
        await portal.GetByRole(AriaRole.Button, new() { Name = "トークン発行" }).ClickAsync();
        var dialog = portal.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("携帯メールアドレス").FillAsync(mobile);
        await dialog.GetByLabel("利用開始パスワード").FillAsync("2580");
        await dialog.GetByLabel("確認パスワード").FillAsync("2580");
        await BrowserPortal.ScreenshotAsync(portal, "token-issue-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "実行" }).ClickAsync();
        await portal.WaitForURLAsync("**/otp/issued");
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "トークン発行結果確認", Exact = true })).ToBeVisibleAsync();
        await Expect(portal.GetByTestId("issued-email")).ToHaveTextAsync(mobile);
        await Expect(portal.GetByText("上記内容でトークン発行を受付ました。")).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(portal, "token-issue-result");

        // The authentication center's mail arrives at the SMTP server.
        var mail = await MailDev.WaitForMailAsync(mobile);
        var (url, _, serviceId, userId) = TokenHelpers.ReadIssueMail(mail.Text);
        Assert.DoesNotContain("2580", mail.Text);

        // The token app on the phone.
        var phone = await browser.NewPageAsync(BrowserPortal.Phone);
        await phone.GotoAsync(url);
        await Expect(phone.GetByText("このアプリはネットワーク通信を行います。よろしいですか？")).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(phone, "token-app-1-consent");
        await phone.GetByRole(AriaRole.Button, new() { Name = "はい" }).ClickAsync();
        await phone.GetByLabel("サービスID").FillAsync(serviceId);
        await phone.GetByLabel("ユーザID").FillAsync(userId);
        await phone.GetByLabel("利用開始パスワード").FillAsync("2580");
        await BrowserPortal.ScreenshotAsync(phone, "token-app-2-setup");
        await phone.GetByRole(AriaRole.Button, new() { Name = "送信" }).ClickAsync();
        await Expect(phone.GetByText("初期設定が正常に完了しました。")).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(phone, "token-app-3-done");
        await phone.GetByRole(AriaRole.Button, new() { Name = "次へ" }).ClickAsync();
        var shown = phone.GetByTestId("otp-code");
        await Expect(shown).ToHaveTextAsync(SixDigits());
        await BrowserPortal.ScreenshotAsync(phone, "token-app-4-code");
        var code = (await shown.InnerTextAsync()).Trim();

        // Back in the portal: 申請済 → ワンタイムパスワード利用開始 with that code → 利用中.
        await portal.GetByRole(AriaRole.Link, new() { Name = "申請内容選択画面へ" }).ClickAsync();
        await Expect(portal.GetByTestId("otp-status")).ToHaveTextAsync("申請済");
        await portal.GetByRole(AriaRole.Button, new() { Name = "ワンタイムパスワード利用開始" }).ClickAsync();
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード利用開始", Exact = true })).ToBeVisibleAsync();
        await portal.GetByLabel("ワンタイムパスワード").FillAsync(code);
        await portal.GetByRole(AriaRole.Button, new() { Name = "実行" }).ClickAsync();
        await portal.WaitForURLAsync("**/otp/started");
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード利用開始結果確認" })).ToBeVisibleAsync();
        await Expect(portal.GetByText("ワンタイムパスワードの利用開始登録が完了しました。")).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(portal, "start-use-result");
        await portal.GetByRole(AriaRole.Link, new() { Name = "申請内容選択画面へ" }).ClickAsync();
        await Expect(portal.GetByTestId("otp-status")).ToHaveTextAsync("利用中");
        await BrowserPortal.ScreenshotAsync(portal, "otp-menu-in-use");
        await AdminSeesAsync(console, customer.UserId, "利用中",
            ("トークン発行", "成功"), ("トークンアプリの初期設定", "成功"), ("ワンタイムパスワード利用開始", "成功"));

        // The phone keeps showing codes without a network, after a reload too.
        await phone.Context.SetOfflineAsync(true);
        await Expect(shown).ToHaveTextAsync(SixDigits());
        await phone.ReloadAsync();
        await Expect(phone.GetByTestId("otp-code")).ToHaveTextAsync(SixDigits(), new() { Timeout = 30_000 });
        await Expect(phone.GetByTestId("otp-seconds")).ToBeVisibleAsync();
        var used = new HashSet<string> { code };

        // Scenario 2: sign out, sign in again: after ID + password the code screen; the app's current code → menu.
        await SignOutAsync(portal);
        await SignInWithPasswordAsync(portal, customer);
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード入力" })).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(portal, "otp-sign-in");
        var signInCode = await FreshCodeAsync(phone, used);
        await EnterCodeAsync(portal, signInCode);
        await portal.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "メニュー画面" })).ToBeVisibleAsync();
        await AdminSeesAsync(console, customer.UserId, "利用中", ("ワンタイムパスワードによるログイン", "成功"));

        // Scenario 3: the same code in a new sign-in is refused, and no session comes of it.
        await SignOutAsync(portal);
        await SignInWithPasswordAsync(portal, customer);
        await EnterCodeAsync(portal, signInCode);
        await Expect(portal.GetByText("ワンタイムパスワードが正しくありません。")).ToBeVisibleAsync();
        await Expect(portal.GetByLabel("ワンタイムパスワード")).ToHaveValueAsync(""); // the refused code is cleared
        Assert.EndsWith("/login", new Uri(portal.Url).AbsolutePath);
        await AdminSeesAsync(console, customer.UserId, "利用中", ("使用済みワンタイムパスワードの拒否", "失敗"));

        // Scenario 4: with that refusal, four more wrong codes lock the account; the bank unlocks it; sign-in works.
        for (var i = 0; i < 4; i++)
        {
            await EnterCodeAsync(portal, "000000");
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
        await SignInWithPasswordAsync(portal, customer);
        await EnterCodeAsync(portal, await FreshCodeAsync(phone, used));
        await portal.WaitForURLAsync(url => new Uri(url).AbsolutePath == "/");
        await BrowserPortal.WaitForInteractiveAsync(portal);

        // Scenario 5: ワンタイムパスワード利用解除 with a current code → 未登録 → the next sign-in asks no code.
        await portal.GetByRole(AriaRole.Link, new() { Name = "ワンタイムパスワード申請" }).ClickAsync();
        await portal.GetByRole(AriaRole.Button, new() { Name = "ワンタイムパスワード利用解除" }).ClickAsync();
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード利用解除", Exact = true })).ToBeVisibleAsync();
        await portal.GetByLabel("ワンタイムパスワード").FillAsync(await FreshCodeAsync(phone, used));
        await BrowserPortal.ScreenshotAsync(portal, "cancel-use");
        await portal.GetByRole(AriaRole.Button, new() { Name = "実行" }).ClickAsync();
        await Expect(portal.GetByText("ワンタイムパスワードの利用解除が完了しました。")).ToBeVisibleAsync();
        await portal.GetByRole(AriaRole.Link, new() { Name = "申請内容選択画面へ" }).ClickAsync();
        await Expect(portal.GetByTestId("otp-status")).ToHaveTextAsync("未登録");
        await AdminSeesAsync(console, customer.UserId, "未登録", ("ワンタイムパスワード利用解除", "成功"));
        await SignOutAsync(portal);
        await BrowserPortal.SignInAsync(portal, customer);
        await phone.Context.CloseAsync();

        // Scenario 6's end: a new issue whose mail the customer says never came; the admin re-sends it, then, the
        // phone being lost after all, force-cancels. The customer's open session ends.
        var newMobile = $"kita{Guid.NewGuid():N}"[..14] + "@docomo.ne.jp";
        await portal.GetByRole(AriaRole.Link, new() { Name = "ワンタイムパスワード申請" }).ClickAsync();
        await portal.GetByRole(AriaRole.Button, new() { Name = "トークン発行" }).ClickAsync();
        dialog = portal.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("携帯メールアドレス").FillAsync(newMobile);
        await dialog.GetByLabel("利用開始パスワード").FillAsync("7413");
        await dialog.GetByLabel("確認パスワード").FillAsync("7413");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "実行" }).ClickAsync();
        await portal.WaitForURLAsync("**/otp/issued");
        var firstMail = await MailDev.WaitForMailAsync(newMobile);

        await AdminSeesAsync(console, customer.UserId, "申請済", ("トークン発行", "成功"));
        await AdminActsAsync(console, "ダウンロードメール再送", "お客様からのお申し出");
        await Expect(TrailRow(console, "管理者によるダウンロードメール再送")).ToContainTextAsync(admin.Customer.LoginId);
        var (firstUrl, _, _, _) = TokenHelpers.ReadIssueMail(firstMail.Text);
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

    private static async Task SignOutAsync(IPage portal)
    {
        await BrowserPortal.WaitForInteractiveAsync(portal);
        await portal.GetByRole(AriaRole.Button, new() { Name = "ログアウト" }).First.ClickAsync();
        await portal.WaitForURLAsync("**/login?reason=signedout");
    }

    private static async Task SignInWithPasswordAsync(IPage portal, TestCustomer customer)
    {
        if (!new Uri(portal.Url).AbsolutePath.EndsWith("/login")) await portal.GotoAsync("/login");
        await BrowserPortal.FillLoginAsync(portal, customer.LoginId, customer.Password);
        await Expect(portal.GetByLabel("ワンタイムパスワード")).ToBeVisibleAsync();
    }

    private static async Task EnterCodeAsync(IPage portal, string code)
    {
        await portal.GetByLabel("ワンタイムパスワード").FillAsync(code);
        await portal.GetByRole(AriaRole.Button, new() { Name = "ログイン", Exact = true }).ClickAsync();
    }

    /// <summary>The app's code once it is one this test has not used yet (codes change every 30 s).</summary>
    private static async Task<string> FreshCodeAsync(IPage phone, HashSet<string> used)
    {
        var shown = phone.GetByTestId("otp-code");
        for (var waited = 0; waited < 40; waited++)
        {
            var code = (await shown.InnerTextAsync()).Trim();
            if (SixDigits().IsMatch(code) && used.Add(code)) return code;
            await Task.Delay(1000);
        }
        throw new TimeoutException("The token app did not show a new code within 40 s.");
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
