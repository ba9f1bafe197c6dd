using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Support;

/// <summary>
/// A customer's steps with the one-time password in the browser, as the acceptance scenarios and the production smoke
/// test both walk them: トークン発行 in the portal, the token app's set-up on the phone, 利用開始, and signing in with a
/// code. <c>shots</c>: a prefix for the screenshots taken on the way, or null for none.
/// </summary>
public static partial class OtpSteps
{
    [GeneratedRegex("^[0-9]{6}$")]
    public static partial Regex SixDigits();

    /// <summary>メニュー画面 → ワンタイムパスワード申請 (未登録) → トークン発行 → the result screen → the mail at MailDev.</summary>
    public static async Task<(string Url, string ServiceId, string UserId)> IssueTokenAsync(
        IPage portal, string mobile, string activationPassword, string? shots)
    {
        await portal.GetByRole(AriaRole.Link, new() { Name = "ワンタイムパスワード申請" }).ClickAsync();
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード申請登録画面" })).ToBeVisibleAsync();
        await Expect(portal.GetByTestId("otp-status")).ToHaveTextAsync("未登録");
        await Expect(portal.GetByRole(AriaRole.Button, new() { Name = "ワンタイムパスワード利用開始" })).ToBeDisabledAsync();
        await ShotAsync(portal, shots, "otp-menu-unregistered");

        // トークン発行: the dialog, then the result screen.
        await portal.GetByRole(AriaRole.Button, new() { Name = "トークン発行" }).ClickAsync();
        var dialog = portal.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("携帯メールアドレス").FillAsync(mobile);
        await dialog.GetByLabel("利用開始パスワード").FillAsync(activationPassword);
        await dialog.GetByLabel("確認パスワード").FillAsync(activationPassword);
        await ShotAsync(portal, shots, "token-issue-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "実行" }).ClickAsync();
        await portal.WaitForURLAsync("**/otp/issued");
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "トークン発行結果確認", Exact = true })).ToBeVisibleAsync();
        await Expect(portal.GetByTestId("issued-email")).ToHaveTextAsync(mobile);
        await Expect(portal.GetByText("上記内容でトークン発行を受付ました。")).ToBeVisibleAsync();
        await ShotAsync(portal, shots, "token-issue-result");

        // The authentication center's mail arrives at the SMTP server, without the password.
        var mail = await MailDev.WaitForMailAsync(mobile);
        var (url, _, serviceId, userId) = TokenHelpers.ReadIssueMail(mail.Text);
        Assert.DoesNotContain(activationPassword, mail.Text);
        return (url, serviceId, userId);
    }

    /// <summary>The token app on the phone, from the mail's URL: consent, set-up, done; returns the first code it shows.</summary>
    public static async Task<string> SetUpTokenAppAsync(
        IPage phone, string url, string serviceId, string userId, string activationPassword, string? shots)
    {
        await phone.GotoAsync(url);
        await Expect(phone.GetByText("このアプリはネットワーク通信を行います。よろしいですか？")).ToBeVisibleAsync();
        await ShotAsync(phone, shots, "token-app-1-consent");
        await phone.GetByRole(AriaRole.Button, new() { Name = "はい" }).ClickAsync();
        await phone.GetByLabel("サービスID").FillAsync(serviceId);
        await phone.GetByLabel("ユーザID").FillAsync(userId);
        await phone.GetByLabel("利用開始パスワード").FillAsync(activationPassword);
        await ShotAsync(phone, shots, "token-app-2-setup");
        await phone.GetByRole(AriaRole.Button, new() { Name = "送信" }).ClickAsync();
        await Expect(phone.GetByText("初期設定が正常に完了しました。")).ToBeVisibleAsync();
        await ShotAsync(phone, shots, "token-app-3-done");
        await phone.GetByRole(AriaRole.Button, new() { Name = "次へ" }).ClickAsync();
        var shown = phone.GetByTestId("otp-code");
        await Expect(shown).ToHaveTextAsync(SixDigits());
        await ShotAsync(phone, shots, "token-app-4-code");
        return (await shown.InnerTextAsync()).Trim();
    }

    /// <summary>Back in the portal from the issue result: 申請済 → ワンタイムパスワード利用開始 with the code → 利用中.</summary>
    public static async Task StartUseAsync(IPage portal, string code, string? shots)
    {
        await portal.GetByRole(AriaRole.Link, new() { Name = "申請内容選択画面へ" }).ClickAsync();
        await Expect(portal.GetByTestId("otp-status")).ToHaveTextAsync("申請済");
        await portal.GetByRole(AriaRole.Button, new() { Name = "ワンタイムパスワード利用開始" }).ClickAsync();
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード利用開始", Exact = true })).ToBeVisibleAsync();
        await portal.GetByLabel("ワンタイムパスワード").FillAsync(code);
        await portal.GetByRole(AriaRole.Button, new() { Name = "実行" }).ClickAsync();
        await portal.WaitForURLAsync("**/otp/started");
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "ワンタイムパスワード利用開始結果確認" })).ToBeVisibleAsync();
        await Expect(portal.GetByText("ワンタイムパスワードの利用開始登録が完了しました。")).ToBeVisibleAsync();
        await ShotAsync(portal, shots, "start-use-result");
        await portal.GetByRole(AriaRole.Link, new() { Name = "申請内容選択画面へ" }).ClickAsync();
        await Expect(portal.GetByTestId("otp-status")).ToHaveTextAsync("利用中");
        await ShotAsync(portal, shots, "otp-menu-in-use");
    }

    public static async Task SignOutAsync(IPage portal)
    {
        await BrowserPortal.WaitForInteractiveAsync(portal);
        await portal.GetByRole(AriaRole.Button, new() { Name = "ログアウト" }).First.ClickAsync();
        await portal.WaitForURLAsync("**/login?reason=signedout");
    }

    /// <summary>ID and password on the ログイン画面, up to the code screen of a customer whose OTP is 利用中.</summary>
    public static async Task SignInWithPasswordAsync(IPage portal, TestCustomer customer)
    {
        if (!new Uri(portal.Url).AbsolutePath.EndsWith("/login")) await portal.GotoAsync("/login");
        await BrowserPortal.FillLoginAsync(portal, customer.LoginId, customer.Password);
        await Expect(portal.GetByLabel("ワンタイムパスワード")).ToBeVisibleAsync();
    }

    public static async Task EnterCodeAsync(IPage portal, string code)
    {
        await portal.GetByLabel("ワンタイムパスワード").FillAsync(code);
        await portal.GetByRole(AriaRole.Button, new() { Name = "ログイン", Exact = true }).ClickAsync();
    }

    /// <summary>The app's code once it is one this test has not used yet (codes change every 30 s).</summary>
    public static async Task<string> FreshCodeAsync(IPage phone, HashSet<string> used)
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

    private static Task ShotAsync(IPage page, string? shots, string name) =>
        shots is null ? Task.CompletedTask : BrowserPortal.ScreenshotAsync(page, shots + name);
}
