using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static Portal.Tests.Support.Bookings;

namespace Portal.Tests.Browser;

/// <summary>
/// SPEC scenarios 8 and 9 in Chromium: the portal in one context, the token app set up from the mail on a phone in a
/// second, and every 取引認証 code read from the app's 取引認証 screen after typing what 払込内容確認 shows.
/// </summary>
[Collection(BrowserCollection.Name)]
public class PayEasyScenarioTests(BrowserPortal browser)
{
    [Fact]
    public async Task Scenarios_8_and_9_a_customer_pays_a_bill_with_transaction_authentication_and_is_refused_a_paid_bill_a_wrong_amount_and_without_otp()
    {
        var customer = await browser.Portal.CreateCustomerAsync("北 新太郎");
        await browser.Portal.CreateAccountAsync(customer.UserId, [At(Portal.Domain.JapanTime.Today(TimeProvider.System).AddDays(-2), 9, "給与", 100_000)],
            "キタ シンタロウ");
        var bill = await browser.Portal.CreateBillAsync(12_000, "71450", fee: 220);
        var mobile = $"pay{Guid.NewGuid():N}"[..13] + "@docomo.ne.jp";

        // 利用中 through the browser: トークン発行 → the token app from the mail → 利用開始.
        var portal = await browser.NewPageAsync();
        await BrowserPortal.SignInAsync(portal, customer);
        var (url, serviceId, userId) = await OtpSteps.IssueTokenAsync(portal, mobile, "2580", shots: null);
        var phone = await browser.NewPageAsync(BrowserPortal.Phone);
        var startCode = await OtpSteps.SetUpTokenAppAsync(phone, url, serviceId, userId, "2580", shots: null);
        await OtpSteps.StartUseAsync(portal, startCode, shots: null);

        // This session was signed in with the password alone, as a thief's would be: it moves no money until the customer
        // signs in again with the code (SPEC 7), and the page offers the way, back to the same page.
        await portal.GotoAsync("/payeasy");
        await Expect(portal.GetByTestId("payeasy-blocked")).ToContainTextAsync("ワンタイムパスワードでログインし直してください");
        await BrowserPortal.WaitForInteractiveAsync(portal);
        await BrowserPortal.ScreenshotAsync(portal, "payeasy-code-sign-in-required");
        await portal.GetByRole(AriaRole.Button, new() { Name = "ワンタイムパスワードでログインし直す" }).ClickAsync();
        await portal.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/login");
        await Expect(portal.GetByText("お取引を続けるには、ワンタイムパスワードでログインし直してください。")).ToBeVisibleAsync();
        await OtpSteps.SignInWithPasswordAsync(portal, customer);
        await OtpSteps.EnterCodeAsync(portal, await OtpSteps.FreshCodeAsync(phone, [startCode]));
        await portal.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/payeasy");

        // Scenario 8: 収納機関番号 → お客様番号・確認番号 → 払込内容確認 → 取引認証 on the phone → 実行 → 払込結果.
        await ConfirmAsync(portal, "71450", bill.CustomerNumber, "1234");
        await Expect(portal.GetByTestId("confirm-amount")).ToHaveTextAsync("12,000円");
        await Expect(portal.GetByTestId("confirm-total")).ToHaveTextAsync("12,220円");
        await Expect(portal.GetByTestId("confirm-balance-after")).ToHaveTextAsync("87,780円");
        var code = await TransactionCodeAsync(phone, await portal.GetByTestId("auth-institution-number").InnerTextAsync(),
            await portal.GetByTestId("auth-amount").InnerTextAsync());
        await ExecuteAsync(portal, code);
        await portal.WaitForURLAsync(new Regex("/payeasy/result/[0-9]{16}$"));
        var receiptNumber = new Uri(portal.Url).Segments[^1];
        await Expect(portal.GetByTestId("receipt-number")).ToHaveTextAsync(receiptNumber);
        await Expect(portal.GetByTestId("receipt-balance-after")).ToHaveTextAsync("87,780円");
        await portal.ReloadAsync(); // a reload shows the same receipt and pays nothing
        await Expect(portal.GetByTestId("receipt-number")).ToHaveTextAsync(receiptNumber);

        // The balance and the statement show the debit; the history lists it; the mail arrives.
        await portal.GotoAsync("/banking/account");
        await Expect(portal.GetByTestId("balance")).ToHaveTextAsync("87,780円");
        await Expect(portal.Locator("td.description").First).ToHaveTextAsync("ペイジー　キタシン通販株式会社");
        await portal.GotoAsync("/payeasy/history");
        await Expect(portal.GetByText(receiptNumber).First).ToBeVisibleAsync();
        var mail = await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains("払込受付のお知らせ"));
        Assert.Contains(receiptNumber, mail.Text);
        Assert.DoesNotContain(bill.CustomerNumber, mail.Text);

        // Scenario 9: the same bill again is refused.
        await ConfirmAsync(portal, "71450", bill.CustomerNumber, "1234", expectConfirmation: false);
        await Expect(portal.GetByText("この料金はすでにお支払い済みです。")).ToBeVisibleAsync();

        // A code made for a different amount is refused, and nothing is paid.
        var other = await browser.Portal.CreateBillAsync(8_640);
        await ConfirmAsync(portal, "58021", other.CustomerNumber, "1234");
        var wrong = await TransactionCodeAsync(phone, "58021", "8641");
        await ExecuteAsync(portal, wrong);
        await Expect(portal.GetByText(new Regex("^取引認証用ワンタイムパスワードが正しくありません。"))).ToBeVisibleAsync();
        await portal.GotoAsync("/banking/account");
        await Expect(portal.GetByTestId("balance")).ToHaveTextAsync("87,780円");

        // A customer who is 未登録 cannot pay and is told why, with the way to ワンタイムパスワード申請.
        var unregistered = await browser.Portal.CreateCustomerAsync("南 花子");
        await browser.Portal.CreateAccountAsync(unregistered.UserId, [At(Portal.Domain.JapanTime.Today(TimeProvider.System).AddDays(-2), 9, "給与", 50_000)]);
        var second = await browser.NewPageAsync();
        await BrowserPortal.SignInAsync(second, unregistered);
        await second.GotoAsync("/payeasy");
        await Expect(second.GetByTestId("payeasy-blocked")).ToContainTextAsync("ワンタイムパスワードの利用登録が必要です");
        await second.GetByRole(AriaRole.Link, new() { Name = "ワンタイムパスワード申請" }).ClickAsync();
        await second.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/otp");
    }

    /// <summary>メニュー画面 → 税金・各種料金の払込み → step 1 → step 2 → (払込内容確認).</summary>
    internal static async Task ConfirmAsync(IPage portal, string institution, string customerNumber, string confirmationNumber,
        bool expectConfirmation = true)
    {
        await portal.GotoAsync("/");
        await portal.GetByRole(AriaRole.Link, new() { Name = "税金・各種料金の払込み", Exact = true }).ClickAsync();
        await Expect(portal.GetByRole(AriaRole.Heading, new() { Name = "税金・各種料金の払込み", Level = 1 })).ToBeVisibleAsync();
        await BrowserPortal.WaitForInteractiveAsync(portal);
        await portal.GetByLabel("収納機関番号").FillAsync(institution);
        await portal.GetByRole(AriaRole.Button, new() { Name = "次へ" }).ClickAsync();
        await portal.GetByLabel("お客様番号").FillAsync(customerNumber);
        await portal.GetByLabel("確認番号").FillAsync(confirmationNumber);
        await portal.GetByRole(AriaRole.Button, new() { Name = "次へ" }).ClickAsync();
        if (expectConfirmation) await Expect(portal.GetByTestId("payeasy-confirmation")).ToBeVisibleAsync();
    }

    private static async Task ExecuteAsync(IPage portal, string code)
    {
        await portal.GetByLabel("取引認証用ワンタイムパスワード").FillAsync(code);
        await portal.GetByRole(AriaRole.Button, new() { Name = "実行" }).ClickAsync();
    }

    /// <summary>The token app's code screen → 取引認証 → the two numbers → 表示 → the code it shows; back to the code screen.</summary>
    private static async Task<string> TransactionCodeAsync(IPage phone, string institution, string amountShown)
    {
        await phone.GetByRole(AriaRole.Button, new() { Name = "取引認証" }).ClickAsync();
        await phone.GetByLabel("収納機関番号").FillAsync(institution.Trim());
        await phone.GetByLabel("払込金額（円）").FillAsync(Regex.Replace(amountShown, "[^0-9]", ""));
        await phone.GetByRole(AriaRole.Button, new() { Name = "表示" }).ClickAsync();
        await Expect(phone.GetByTestId("tx-institution-number")).ToHaveTextAsync(institution.Trim());
        var shown = phone.GetByTestId("tx-code");
        await Expect(shown).ToHaveTextAsync(OtpSteps.SixDigits());
        var code = (await shown.InnerTextAsync()).Trim();
        await phone.GetByRole(AriaRole.Button, new() { Name = "戻る" }).ClickAsync();
        return code;
    }
}
