using System.Security.Claims;
using AngleSharp.Dom;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;
using OtpNet;
using Portal.Banking;
using Portal.Banking.PayEasy;
using Portal.Components.Pages.Banking;
using Portal.Domain;
using Portal.Domain.Banking;
using Portal.Domain.Otp;
using Portal.Hosting;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Components;

/// <summary>
/// 税金・各種料金の払込み, its 払込結果 and the 払込み履歴 on the lead's real services and PostgreSQL, for a signed-in
/// customer. Fields are found by their labels, buttons by their words.
/// </summary>
public class PayEasyPagesTests : BunitContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;
    private readonly BunitAuthorizationContext _auth;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15); // two shared cores

    public PayEasyPagesTests(PortalFactory portal)
    {
        _portal = portal;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(portal.Services.GetRequiredService<PayEasyPayments>());
        Services.AddSingleton(portal.Services.GetRequiredService<PortalSessions>());
        Services.AddSingleton(portal.Services.GetRequiredService<IOptions<SignInSettings>>());
        Services.AddSingleton(portal.Services.GetRequiredService<IOptions<PayEasySettings>>());
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<CurrentCustomer>();
        _auth = AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private void SignIn(string userId, string loginId, string factors = SignInFactors.PasswordAndOtp)
    {
        _auth.SetAuthorized(loginId);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId), new Claim(PortalClaims.AuthenticationMethods, factors));
    }

    /// <summary>A 利用中 customer with a representative account holding <paramref name="balance"/>, signed in.</summary>
    private async Task<EnrolledCustomer> PayingCustomerAsync(long balance = 500_000)
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        await _portal.CreateAccountAsync(enrolled.Customer.UserId, [Bookings.At(Bookings.Today.AddDays(-3), 9, "給与", balance)]);
        SignIn(enrolled.Customer.UserId, enrolled.Customer.LoginId);
        return enrolled;
    }

    private IRenderedComponent<PayEasyPage> OpenPayEasy()
    {
        Render<MudPopoverProvider>();
        var page = Render<PayEasyPage>();
        page.WaitForAssertion(() => Assert.Empty(page.FindAll(".mud-progress-linear")), Wait);
        return page;
    }

    internal static IElement Input<T>(IRenderedComponent<T> page, string label) where T : IComponent
    {
        var labels = page.FindAll("label").Where(l => l.TextContent.Trim() == label).ToList();
        Assert.True(labels.Count == 1, $"one field labelled {label}, found {labels.Count}");
        return page.Find($"#{labels[0].GetAttribute("for")}");
    }

    /// <summary>The message MudBlazor shows under the field with that label (null when none).</summary>
    private static string? ErrorBeside(IRenderedComponent<PayEasyPage> page, string label) =>
        page.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == label)
            .FindAll(".mud-input-helper-text.mud-input-error").FirstOrDefault()?.TextContent.Trim();

    private static void Press<T>(IRenderedComponent<T> page, string words) where T : IComponent =>
        page.FindAll("button").Single(b => b.TextContent.Trim() == words && !b.HasAttribute("disabled")).Click();

    private static string Heading2<T>(IRenderedComponent<T> page) where T : IComponent => page.Find("h2").TextContent.Trim();

    private static async Task ToBillStepAsync(IRenderedComponent<PayEasyPage> page, string institutionNumber)
    {
        Input(page, "収納機関番号").Input(institutionNumber);
        Press(page, "次へ");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=institution-name]")), Wait);
        await Task.CompletedTask;
    }

    private static void EnterBill(IRenderedComponent<PayEasyPage> page, string numberLabel, string customerNumber, string confirmationNumber,
        string? category = null)
    {
        Input(page, numberLabel).Input(customerNumber);
        Input(page, "確認番号").Input(confirmationNumber);
        if (category is not null) Input(page, "納付区分").Input(category);
        Press(page, "次へ");
    }

    private static string TransactionCode(EnrolledCustomer enrolled, Bill bill, DateTimeOffset at) =>
        TransactionAuthentication.Compute(Base32Encoding.ToBytes(enrolled.Token.Secret), bill.InstitutionNumber, bill.Amount, at);

    private async Task<int> PaymentRowsAsync(string userId)
    {
        await using var db = _portal.Database.CreateContext();
        return db.Payments.Count(p => p.UserId == userId);
    }

    [Fact]
    public async Task A_customer_who_is_not_in_use_is_told_why_and_offered_the_otp_application()
    {
        var customer = await _portal.CreateCustomerAsync();
        await _portal.CreateAccountAsync(customer.UserId, [Bookings.At(Bookings.Today, 9, "給与", 10_000)]);
        SignIn(customer.UserId, customer.LoginId);

        var page = OpenPayEasy();

        Assert.Contains("お取引にはワンタイムパスワードの利用登録が必要です。", page.Find("[data-testid=payeasy-blocked]").TextContent);
        var link = page.FindAll("a").Single(a => a.TextContent.Trim() == "ワンタイムパスワード申請");
        Assert.Equal("/otp", link.GetAttribute("href"));
        Assert.Empty(page.FindAll("input")); // no form to pay with
    }

    [Fact]
    public async Task A_session_signed_in_with_the_password_alone_is_told_to_sign_in_again_with_the_code()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        await _portal.CreateAccountAsync(enrolled.Customer.UserId, [Bookings.At(Bookings.Today, 9, "給与", 10_000)]);
        SignIn(enrolled.Customer.UserId, enrolled.Customer.LoginId, SignInFactors.Password);

        var page = OpenPayEasy();

        Assert.Contains("ワンタイムパスワードでログインし直してください", page.Find("[data-testid=payeasy-blocked]").TextContent);
        // The way back in: sign out, then the login screen returns here after the code.
        var form = page.Find("form.logout-form");
        Assert.Equal("account/signout", form.GetAttribute("action"));
        Assert.Equal("code", form.QuerySelector("input[name=reason]")!.GetAttribute("value"));
        Assert.Equal("/payeasy", form.QuerySelector("input[name=returnUrl]")!.GetAttribute("value"));
        Assert.Contains("ワンタイムパスワードでログインし直す", form.TextContent);
        Assert.Empty(page.FindAll("input[type=text], input:not([type])")); // no form to pay with
    }

    [Fact]
    public async Task A_new_tokens_confirmation_says_its_smaller_limit_and_until_when()
    {
        await PayingCustomerAsync();
        var (page, _) = await ConfirmationAsync(8_000);

        var note = page.Find("[data-testid=new-token-limit]").TextContent;
        Assert.Contains("50,000円", note);
        Assert.Contains("まで", note);
    }

    [Fact]
    public async Task A_customer_without_an_account_is_told_so()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        SignIn(enrolled.Customer.UserId, enrolled.Customer.LoginId);

        var page = OpenPayEasy();

        Assert.Contains("出金口座（代表口座）が登録されていない", page.Find("[data-testid=payeasy-blocked]").TextContent);
        Assert.DoesNotContain(page.FindAll("a"), a => a.TextContent.Trim() == "ワンタイムパスワード申請");
    }

    [Fact]
    public async Task Bad_institution_numbers_get_a_message_beside_the_field_and_stay_on_step_1()
    {
        await PayingCustomerAsync();
        var page = OpenPayEasy();
        Assert.Equal("収納機関番号入力", Heading2(page));
        Assert.Equal("numeric", Input(page, "収納機関番号").GetAttribute("inputmode"));
        Assert.Contains("1", page.Find("li[aria-current=step]").TextContent);

        var cases = new (string Input, string Message)[]
        {
            ("", "収納機関番号を入力してください。"),
            ("12a45", "収納機関番号は半角数字で入力してください。"),
            ("５８０２１", "収納機関番号は半角数字で入力してください。"),
            ("<b>1</b>", "収納機関番号は半角数字で入力してください。"),
            ("' OR 1=1", "収納機関番号は半角数字で入力してください。"),
            ("580210", "収納機関番号は半角数字5桁で入力してください。"),
            ("5802", "収納機関番号は半角数字5桁で入力してください。"),
            ("99999", "入力された収納機関番号の収納機関はありません。払込書（納付書）の収納機関番号をご確認ください。"),
        };
        foreach (var (input, message) in cases)
        {
            Input(page, "収納機関番号").Input(input);
            Press(page, "次へ");
            page.WaitForAssertion(() => Assert.True(ErrorBeside(page, "収納機関番号") == message, $"{input}: {ErrorBeside(page, "収納機関番号")}"), Wait);
            Assert.Equal("収納機関番号入力", Heading2(page));
        }
    }

    [Fact]
    public async Task Bad_bill_numbers_get_a_message_beside_each_field_and_nothing_reaches_the_billing_center()
    {
        var enrolled = await PayingCustomerAsync();
        var page = OpenPayEasy();
        await ToBillStepAsync(page, "58021");
        Assert.Equal("お客様番号入力", Heading2(page));
        Assert.Equal("北新電力株式会社", page.Find("[data-testid=institution-name]").TextContent.Trim());
        Assert.DoesNotContain(page.FindAll("label"), l => l.TextContent.Trim() == "納付区分");

        var cases = new (string Number, string Confirmation, string? NumberMessage, string? ConfirmationMessage)[]
        {
            ("", "", "お客様番号を入力してください。", "確認番号を入力してください。"),
            ("１２３４", "12 34", "お客様番号は半角数字で入力してください。", "確認番号は半角数字で入力してください。"),
            (new string('1', 21), "1234567", "お客様番号は半角数字20桁以内で入力してください。", "確認番号は半角数字6桁以内で入力してください。"),
            ("<script>alert(1)</script>", "1234", "お客様番号は半角数字で入力してください。", null),
        };
        foreach (var (number, confirmation, numberMessage, confirmationMessage) in cases)
        {
            EnterBill(page, "お客様番号", number, confirmation);
            page.WaitForAssertion(() =>
            {
                Assert.Equal(numberMessage, ErrorBeside(page, "お客様番号"));
                Assert.Equal(confirmationMessage, ErrorBeside(page, "確認番号"));
            }, Wait);
            Assert.Equal("お客様番号入力", Heading2(page));
        }
        Assert.Equal(0, await PaymentRowsAsync(enrolled.Customer.UserId));
        await using var db = _portal.Database.CreateContext();
        Assert.False(db.PayEasyStops.Any(s => s.UserId == enrolled.Customer.UserId)); // no lookup counted as a failure

        Press(page, "戻る");
        page.WaitForAssertion(() => Assert.Equal("収納機関番号入力", Heading2(page)), Wait);
    }

    [Fact]
    public async Task A_public_body_asks_for_the_payment_number_and_category()
    {
        await PayingCustomerAsync();
        var bill = await _portal.CreateBillAsync(32_500, institutionNumber: "01234");
        var page = OpenPayEasy();
        await ToBillStepAsync(page, "01234");

        Assert.Equal("納付番号入力", Heading2(page));
        EnterBill(page, "納付番号", bill.CustomerNumber, "1234", category: "１");
        page.WaitForAssertion(() => Assert.Equal("納付区分は半角数字で入力してください。", ErrorBeside(page, "納付区分")), Wait);

        Input(page, "納付区分").Input("001");
        Press(page, "次へ");
        page.WaitForAssertion(() => Assert.Equal("払込内容確認", Heading2(page)), Wait);
        Assert.Contains("キタシン市", page.Find("[data-testid=payeasy-confirmation]").TextContent);
        Assert.Contains("納付番号", page.Find("[data-testid=payeasy-confirmation]").TextContent);
    }

    [Fact]
    public async Task A_bill_leads_to_the_confirmation_with_the_numbers_for_the_token_app()
    {
        await PayingCustomerAsync(balance: 100_000);
        var bill = await _portal.CreateBillAsync(8_640, fee: 110);
        var page = OpenPayEasy();
        await ToBillStepAsync(page, "58021");
        EnterBill(page, "お客様番号", bill.CustomerNumber, "1234");

        page.WaitForAssertion(() => Assert.Equal("払込内容確認", Heading2(page)), Wait);
        Assert.Contains("3", page.Find("li[aria-current=step]").TextContent);
        var details = page.Find("[data-testid=payeasy-confirmation]");
        var shown = details.QuerySelectorAll("dt").Zip(details.QuerySelectorAll("dd"), (dt, dd) => (dt.TextContent.Trim(), dd.TextContent.Trim())).ToDictionary();
        Assert.Equal("北新電力株式会社", shown["収納機関名"]);
        Assert.Equal("試験料金", shown["料金名"]);
        Assert.Equal("シケン タロウ", shown["お客様氏名"]);
        Assert.Equal("8,640円", shown["払込金額"]);
        Assert.Equal("110円", shown["手数料"]);
        Assert.Equal("8,750円", shown["お支払合計"]);
        Assert.Matches("^.+ 普通 [0-9]{7}$", shown["出金口座"]);
        Assert.Equal("100,000円", shown["出金口座の残高"]);
        Assert.Equal("91,250円", shown["払込後の残高"]);
        Assert.EndsWith(bill.CustomerNumber[^4..], shown["お客様番号"]);
        Assert.DoesNotContain(bill.CustomerNumber, page.Markup); // only the last four digits are shown

        Assert.Contains("トークンアプリの「取引認証」で次の番号を入力し、表示された取引認証用ワンタイムパスワードを入力してください。", page.Markup);
        Assert.Equal("58021", page.Find("[data-testid=auth-institution-number]").TextContent.Trim());
        Assert.Equal("8,640円", page.Find("[data-testid=auth-amount]").TextContent.Trim());
        Assert.Equal("numeric", Input(page, "取引認証用ワンタイムパスワード").GetAttribute("inputmode"));
        Assert.Equal(["実行", "中止"], OtpFormsTests.ButtonTexts(page.Find(".form-actions")));
    }

    [Fact]
    public async Task Paying_shows_the_receipt_by_its_number_and_reading_it_again_pays_nothing()
    {
        var enrolled = await PayingCustomerAsync(balance: 100_000);
        var bill = await _portal.CreateBillAsync(8_640);
        var page = OpenPayEasy();
        await ToBillStepAsync(page, "58021");
        EnterBill(page, "お客様番号", bill.CustomerNumber, "1234");
        page.WaitForAssertion(() => Assert.Equal("払込内容確認", Heading2(page)), Wait);

        // A code for another amount is refused beside the field.
        Input(page, "取引認証用ワンタイムパスワード").Input(
            TransactionAuthentication.Compute(Base32Encoding.ToBytes(enrolled.Token.Secret), "58021", 8_641, DateTimeOffset.UtcNow));
        page.Find("form").Submit();
        page.WaitForAssertion(() => Assert.StartsWith("取引認証用ワンタイムパスワードが正しくありません。",
            page.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == "取引認証用ワンタイムパスワード").Find(".mud-input-helper-text.mud-input-error").TextContent.Trim()), Wait);

        Input(page, "取引認証用ワンタイムパスワード").Input(TransactionCode(enrolled, bill, DateTimeOffset.UtcNow));
        page.Find("form").Submit();
        var navigation = Services.GetRequiredService<NavigationManager>();
        page.WaitForAssertion(() => Assert.Matches($"/payeasy/result/[0-9]{{{Payment.ReceiptNumberLength}}}$", navigation.Uri), Wait);
        var receiptNumber = navigation.Uri[^Payment.ReceiptNumberLength..];

        for (var reload = 0; reload < 2; reload++)
        {
            var result = Render<PayEasyResultPage>(p => p.Add(r => r.ReceiptNumber, receiptNumber));
            result.WaitForAssertion(() => Assert.Equal(receiptNumber, result.Find("[data-testid=receipt-number]").TextContent.Trim()), Wait);
            Assert.Contains("税金・各種料金の払込みを受け付けました。", result.Markup);
            Assert.Equal("8,640円", result.Find("[data-testid=receipt-amount]").TextContent.Trim());
            Assert.Equal("91,360円", result.Find("[data-testid=receipt-balance-after]").TextContent.Trim());
            Assert.Equal("受付済", result.Find("[data-testid=payment-state]").TextContent.Trim());
            Assert.Contains("4", result.Find("li[aria-current=step]").TextContent);
            Assert.Equal("/payeasy/history", result.FindAll("a").Single(a => a.TextContent.Trim() == "払込み履歴へ").GetAttribute("href"));
            Assert.Equal("/", result.FindAll("a").Single(a => a.TextContent.Trim() == "メニュー画面へ").GetAttribute("href"));
        }
        await using var db = _portal.Database.CreateContext();
        Assert.Equal(1, db.Payments.Count(p => p.UserId == enrolled.Customer.UserId && p.Status == PaymentStatus.Accepted));
        Assert.Equal(91_360, db.Accounts.Single(a => a.UserId == enrolled.Customer.UserId).Balance);
    }

    /// <summary>A confirmation up to the 取引認証 field, for the customer's bill of <paramref name="amount"/>.</summary>
    private async Task<(IRenderedComponent<PayEasyPage> Page, Bill Bill)> ConfirmationAsync(long amount)
    {
        var bill = await _portal.CreateBillAsync(amount);
        var page = OpenPayEasy();
        await ToBillStepAsync(page, bill.InstitutionNumber);
        EnterBill(page, "お客様番号", bill.CustomerNumber, bill.ConfirmationNumber);
        page.WaitForAssertion(() => Assert.Equal("払込内容確認", Heading2(page)), Wait);
        return (page, bill);
    }

    [Fact]
    public async Task A_second_press_of_execute_while_the_first_runs_pays_once()
    {
        var enrolled = await PayingCustomerAsync(balance: 50_000);
        var (page, bill) = await ConfirmationAsync(8_640);

        Input(page, "取引認証用ワンタイムパスワード").Input(TransactionCode(enrolled, bill, DateTimeOffset.UtcNow));
        var form = page.Find("form");
        form.Submit();
        // The button is disabled while the first runs (on a busy machine the first may already be done, and then there is
        // nothing to see); a submit that still gets through (Enter twice) changes nothing.
        if (page.FindAll("button").SingleOrDefault(b => b.TextContent.Contains("処理中")) is { } busy) Assert.True(busy.HasAttribute("disabled"));
        form.Submit();
        page.WaitForAssertion(() => Assert.Contains("/payeasy/result/", Services.GetRequiredService<NavigationManager>().Uri), Wait);

        await using var db = _portal.Database.CreateContext();
        Assert.Equal(1, db.Payments.Count(p => p.UserId == enrolled.Customer.UserId && p.Status == PaymentStatus.Accepted));
        Assert.Equal(41_360, db.Accounts.Single(a => a.UserId == enrolled.Customer.UserId).Balance);
    }

    [Fact]
    public async Task Wrong_codes_lock_the_login_id_and_say_until_when_and_whom_to_call()
    {
        var enrolled = await PayingCustomerAsync();
        var (page, bill) = await ConfirmationAsync(1_000);
        var wrong = TransactionAuthentication.Compute(Base32Encoding.ToBytes(enrolled.Token.Secret), bill.InstitutionNumber, bill.Amount + 1, DateTimeOffset.UtcNow);

        // Five failures (codes and passwords together) lock the ID; the lock is told at the latest on the sixth try.
        for (var attempt = 0; attempt < 6 && page.FindAll("[data-testid=payeasy-refusal]").Count == 0; attempt++)
        {
            Input(page, "取引認証用ワンタイムパスワード").Input(wrong);
            page.Find("form").Submit();
            page.WaitForAssertion(() => Assert.DoesNotContain("処理中", page.Find(".form-actions").TextContent), Wait);
        }
        page.WaitForAssertion(() => Assert.Contains("ワンタイムパスワードの誤りが続いたため、ログインIDをロックしています。",
            page.Find("[data-testid=payeasy-refusal]").TextContent), Wait);
        Assert.Matches("[0-9]{4}年[0-9]{1,2}月[0-9]{1,2}日 [0-9]{1,2}時[0-9]{2}分以降に再度お試しいただく", page.Find("[data-testid=payeasy-refusal]").TextContent);
        Assert.Contains("0120-", page.Find("[data-testid=payeasy-refusal]").TextContent);
        await using var db = _portal.Database.CreateContext();
        Assert.Equal(0, db.Payments.Count(p => p.UserId == enrolled.Customer.UserId && p.Status == PaymentStatus.Accepted));
    }

    [Fact]
    public async Task Paid_cancelled_and_expired_bills_are_refused_with_their_reason()
    {
        await PayingCustomerAsync();
        var paid = await _portal.CreateBillAsync(1_000, status: BillStatus.Paid);
        var cancelled = await _portal.CreateBillAsync(1_000, status: BillStatus.Cancelled);
        var expired = await _portal.CreateBillAsync(1_000, expiresAt: DateTimeOffset.UtcNow.AddDays(-1));
        var page = OpenPayEasy();
        await ToBillStepAsync(page, "58021");

        foreach (var (bill, message) in new[] { (paid, "この料金はすでにお支払い済みです。"), (cancelled, "この料金は収納機関により取り消されています。"), (expired, "払込期限を過ぎているため") })
        {
            EnterBill(page, "お客様番号", bill.CustomerNumber, "1234");
            page.WaitForAssertion(() => Assert.Contains(message, page.Find("[data-testid=payeasy-refusal]").TextContent), Wait);
            Assert.Equal("お客様番号入力", Heading2(page));
        }
    }

    [Fact]
    public async Task More_than_the_balance_is_refused_before_the_confirmation()
    {
        await PayingCustomerAsync(balance: 1_000);
        var bill = await _portal.CreateBillAsync(1_001);
        var page = OpenPayEasy();
        await ToBillStepAsync(page, "58021");
        EnterBill(page, "お客様番号", bill.CustomerNumber, "1234");
        page.WaitForAssertion(() => Assert.Equal("出金口座の残高が不足しているため、お支払いいただけません。",
            page.Find("[data-testid=payeasy-refusal]").TextContent.Trim()), Wait);
    }

    [Fact]
    public async Task Wrong_numbers_say_so_then_how_many_tries_are_left_then_stop_until_the_end_of_the_day()
    {
        await PayingCustomerAsync();
        var page = OpenPayEasy();
        await ToBillStepAsync(page, "58021");

        for (var failure = 1; failure < PayEasyRules.FailuresToStop; failure++)
        {
            EnterBill(page, "お客様番号", "11111111", "9999");
            var left = PayEasyRules.FailuresToStop - failure;
            page.WaitForAssertion(() =>
            {
                var refusal = page.Find("[data-testid=payeasy-refusal]").TextContent;
                Assert.Contains("お客様番号または確認番号に誤りがあります。", refusal);
                if (left <= PayEasyText.WarnWhenFailuresLeft) Assert.Contains($"あと{left}回誤りがあると", refusal);
                else Assert.DoesNotContain("あと", refusal);
            }, Wait);
        }
        EnterBill(page, "お客様番号", "11111111", "9999");
        page.WaitForAssertion(() => Assert.Contains("まで停止しています。", page.Find("[data-testid=payeasy-blocked]").TextContent), Wait);
        var stoppedUntil = JapanTime.FormatDateTime(PayEasyRules.StopEndsAt(DateTimeOffset.UtcNow));
        Assert.Contains(stoppedUntil, page.Find("[data-testid=payeasy-blocked]").TextContent);
        Assert.Contains("0120-", page.Find("[data-testid=payeasy-blocked]").TextContent); // whom to call
        Assert.Empty(page.FindAll("input"));
    }
}
