using System.Security.Claims;
using System.Security.Cryptography;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Portal.Banking.PayEasy;
using Portal.Components.Pages.Admin;
using Portal.Components.Pages.Banking;
using Portal.Domain;
using Portal.Domain.Banking;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Components;

/// <summary>
/// 税金・各種料金の払込み履歴 and its detail, and the admin's 払込み section with the lift of a Pay-easy stop, on the real
/// services and PostgreSQL. The history's payments are written as accepted rows, as many as paging needs.
/// </summary>
public class PayEasyHistoryTests : BunitContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;
    private readonly TestCustomer _customer;
    private readonly BunitAuthorizationContext _auth;
    private IRenderedComponent<MudPopoverProvider>? _popovers;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    public PayEasyHistoryTests(PortalFactory portal)
    {
        _portal = portal;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(portal.Services.GetRequiredService<PayEasyPayments>());
        Services.AddSingleton(portal.Services.GetRequiredService<AdminPayEasy>());
        Services.AddSingleton(portal.Services.GetRequiredService<PortalSessions>());
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<CurrentCustomer>();
        _customer = portal.CreateCustomerAsync().GetAwaiter().GetResult();
        _auth = AddAuthorization();
        _auth.SetAuthorized(_customer.LoginId);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, _customer.UserId));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>Accepted payments of <paramref name="userId"/> at the given instants; returns their 受付番号, in that order.</summary>
    private async Task<List<string>> PaidAsync(string userId, params (DateTimeOffset At, string Charge, long Amount)[] payments)
    {
        var (accountId, _) = await _portal.CreateAccountAsync(userId, [Bookings.At(Bookings.Today.AddMonths(-6), 9, "給与", 10_000_000)]);
        await using var db = _portal.Database.CreateContext();
        var numbers = new List<string>();
        foreach (var (at, charge, amount) in payments)
        {
            var number = string.Concat(Enumerable.Range(0, Payment.ReceiptNumberLength).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));
            db.Payments.Add(new Payment
            {
                Id = Guid.NewGuid(), UserId = userId, AccountId = accountId, BillReference = $"test-{number}",
                InstitutionNumber = "58021", InstitutionName = "北新電力株式会社", ChargeName = charge, PayerName = "シケン タロウ",
                MaskedCustomerNumber = "******5678", Amount = amount, Fee = 0, Status = PaymentStatus.Accepted,
                CreatedAt = at, AcceptedAt = at, ReceiptNumber = number, BalanceAfter = 1_000_000,
            });
            numbers.Add(number);
        }
        await db.SaveChangesAsync();
        return numbers;
    }

    private static DateTimeOffset DaysAgo(int days, int hour = 10) =>
        new DateTimeOffset(Bookings.Today.AddDays(-days).ToDateTime(new TimeOnly(hour, 0)), JapanTime.Offset).ToUniversalTime();

    private IRenderedComponent<PayEasyHistoryPage> OpenHistory(string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/payeasy/history" + query);
        _popovers ??= Render<MudPopoverProvider>();
        return Render<PayEasyHistoryPage>();
    }

    private static List<string> Charges(IRenderedComponent<PayEasyHistoryPage> page) =>
        [.. page.FindAll("td.charge").Select(td => td.TextContent.Trim())];

    [Fact]
    public async Task The_history_lists_the_periods_payments_newest_first_with_their_columns()
    {
        var other = await _portal.CreateCustomerAsync();
        await PaidAsync(other.UserId, (DaysAgo(1), "他の方の料金", 1_000));
        var numbers = await PaidAsync(_customer.UserId,
            (DaysAgo(2), "電気料金 11月分", 8_640), (DaysAgo(1), "通信販売代金", 12_800), (DaysAgo(70), "二か月前の料金", 5_000));

        var page = OpenHistory();

        page.WaitForAssertion(() => Assert.Equal(["通信販売代金", "電気料金 11月分"], Charges(page)), Wait);
        foreach (var column in new[] { "受付日時", "受付番号", "収納機関名", "料金名", "払込金額", "状態" })
            Assert.Contains(page.FindAll("th"), th => th.TextContent.Trim() == column);
        Assert.Equal(["受付済", "受付済"], page.FindAll("td.state").Select(td => td.TextContent.Trim()));
        Assert.Equal(["12,800円", "8,640円"], page.FindAll("td.amount").Select(td => td.TextContent.Trim()));
        Assert.Equal($"/payeasy/history/{numbers[1]}", page.FindAll("td.receipt a").First().GetAttribute("href"));
        Assert.Contains("2件", page.Find("[data-testid=history-range]").TextContent);
        Assert.DoesNotContain("他の方の料金", page.Markup);
    }

    [Fact]
    public async Task The_history_is_paged_in_the_database()
    {
        await PaidAsync(_customer.UserId, [.. Enumerable.Range(1, 25).Select(i => (DaysAgo(1).AddMinutes(i), $"料金{i:00}", 1_000L * i))]);

        var page = OpenHistory();

        page.WaitForAssertion(() => Assert.Equal(20, Charges(page).Count), Wait);
        Assert.Equal("料金25", Charges(page)[0]);
        Assert.Contains("1〜20件（全25件）", page.Markup);
        page.FindAll("button[aria-label]").First(b => b.GetAttribute("aria-label")!.Contains("Next", StringComparison.OrdinalIgnoreCase)).Click();
        page.WaitForAssertion(() => Assert.Equal(["料金05", "料金04", "料金03", "料金02", "料金01"], Charges(page)), Wait);
    }

    [Fact]
    public async Task A_period_with_no_payments_says_so_and_a_bad_period_gets_its_message()
    {
        await PaidAsync(_customer.UserId, (DaysAgo(3), "三日前の料金", 1_000));
        var page = OpenHistory("?period=today");
        page.WaitForAssertion(() => Assert.Equal("この期間の払込みはありません。", page.Find("[data-testid=history-empty]").TextContent.Trim()), Wait);

        var bad = OpenHistory("?period=custom&from=%3Cscript%3E&to=");
        bad.WaitForAssertion(() => Assert.Contains("開始日は日付（例：2026-01-31）で入力してください。", bad.Markup), Wait);
        Assert.Empty(bad.FindAll("td.charge"));
    }

    [Fact]
    public async Task The_detail_shows_the_customers_own_payment_and_nothing_of_anyone_elses()
    {
        var numbers = await PaidAsync(_customer.UserId, (DaysAgo(1), "電気料金 11月分", 8_640));
        var other = await _portal.CreateCustomerAsync();
        var others = await PaidAsync(other.UserId, (DaysAgo(1), "他の方の料金", 1_000));

        var detail = Render<PayEasyReceiptPage>(p => p.Add(r => r.ReceiptNumber, numbers[0]));
        detail.WaitForAssertion(() => Assert.Equal(numbers[0], detail.Find("[data-testid=receipt-number]").TextContent.Trim()), Wait);
        Assert.Contains("電気料金 11月分", detail.Markup);
        Assert.Equal("8,640円", detail.Find("[data-testid=receipt-amount]").TextContent.Trim());

        foreach (var number in new[] { others[0], "000000000000", "<script>", new string('9', 500) })
        {
            var missing = Render<PayEasyReceiptPage>(p => p.Add(r => r.ReceiptNumber, number));
            missing.WaitForAssertion(() => Assert.Equal("指定された受付番号の払込みは見つかりません。払込み履歴からお選びください。",
                missing.Find("[data-testid=receipt-not-found]").TextContent.Trim()), Wait);
            Assert.DoesNotContain("他の方の料金", missing.Markup);
        }
    }

    [Fact]
    public async Task Staff_see_the_payments_and_lift_a_stop_with_a_reason()
    {
        var admin = await _portal.CreateCustomerAsync("管理 花子");
        _auth.SetAuthorized(admin.LoginId);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.UserId));
        await PaidAsync(_customer.UserId, (DaysAgo(1), "電気料金 11月分", 8_640));
        var until = PayEasyRules.StopEndsAt(DateTimeOffset.UtcNow);
        await using (var db = _portal.Database.CreateContext())
        {
            db.PayEasyStops.Add(new PayEasyStop { UserId = _customer.UserId, ConsecutiveFailures = PayEasyRules.FailuresToStop, StoppedUntil = until });
            await db.SaveChangesAsync();
        }

        var popovers = Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var section = Render<CustomerPayEasySection>(p => p.Add(s => s.UserId, _customer.UserId));

        section.WaitForAssertion(() => Assert.Contains("電気料金 11月分", section.Find("[data-testid=admin-payments]").TextContent), Wait);
        Assert.Contains("******5678", section.Markup);
        Assert.Equal($"停止中（{JapanTime.FormatDateTime(until)}まで）", section.Find("[data-testid=payeasy-stop]").TextContent.Trim());

        section.FindAll("button").Single(b => b.TextContent.Trim() == "ペイジー停止の解除").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll(".mud-dialog")), Wait);
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "実行").Click();
        dialogs.WaitForAssertion(() => Assert.Contains("理由を選択してください。", dialogs.Find(".mud-input-error").TextContent), Wait);
        // The list offers what fits a stop: no lost or changed phone.
        dialogs.Find(".mud-select .mud-input-control").MouseDown();
        popovers.WaitForAssertion(() => Assert.NotEmpty(popovers.FindAll(".mud-list-item")), Wait);
        Assert.Equal(["お客様からのお申し出", "不正利用の疑い", "その他"], popovers.FindAll(".mud-list-item").Select(i => i.TextContent.Trim()));
        popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "お客様からのお申し出").Click();
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "実行").Click();

        section.WaitForAssertion(() => Assert.Equal("ペイジー停止を解除しました。", section.Find("[data-testid=payeasy-lift-message]").TextContent.Trim()), Wait);
        Assert.Equal("停止なし", section.Find("[data-testid=payeasy-stop]").TextContent.Trim());
        Assert.Null(await _portal.Services.GetRequiredService<AdminPayEasy>().GetStopAsync(_customer.UserId));
        await using var check = _portal.Database.CreateContext();
        Assert.Contains(check.AuditEntries.Where(a => a.UserId == _customer.UserId).AsEnumerable(),
            a => a.Actor == admin.LoginId && a.Detail == "お客様からのお申し出");
    }
}
