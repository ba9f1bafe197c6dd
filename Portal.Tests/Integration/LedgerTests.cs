using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Banking;
using Portal.Domain;
using Portal.Domain.Banking;
using Portal.Identity;
using Portal.Tests.Support;
using static Portal.Tests.Support.Bookings;

namespace Portal.Tests.Integration;

/// <summary>Postings, the statement query and the CSV on the real PostgreSQL.</summary>
public class LedgerTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private Ledger Ledger => portal.Services.GetRequiredService<Ledger>();
    private AccountStatements Statements => portal.Services.GetRequiredService<AccountStatements>();


    private async Task<(TestCustomer Customer, long AccountId)> CustomerWithAsync(params DemoBooking[] bookings)
    {
        var customer = await portal.CreateCustomerAsync();
        var (accountId, _) = await portal.CreateAccountAsync(customer.UserId, bookings);
        return (customer, accountId);
    }

    private async Task AssertLedgerConsistentAsync(long accountId, long expectedBalance)
    {
        await using var db = portal.Database.CreateContext();
        var balance = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Balance).SingleAsync(Cancel);
        var entries = await db.LedgerEntries.Where(e => e.AccountId == accountId).OrderBy(e => e.Id)
            .Select(e => new { e.Amount, e.BalanceAfter }).ToListAsync(Cancel);
        Assert.Equal(expectedBalance, balance);
        Assert.Equal(balance, entries.Sum(e => e.Amount)); // the balance is the sum of the ledger
        Assert.True(Posting.IsConsistent(entries.Select(e => (e.Amount, e.BalanceAfter))));
    }

    [Fact]
    public async Task A_debit_books_an_entry_with_the_balance_after_it_and_an_overdraft_books_nothing()
    {
        var (_, accountId) = await CustomerWithAsync(At(Today, 9, "給与", 100_000));

        var paid = await Ledger.PostAsync(accountId, new Money(-30_000), "口座振替　電気料金", DateTimeOffset.UtcNow, Cancel);
        Assert.Equal(PostingOutcome.Posted, paid.Outcome);
        Assert.Equal(new Money(70_000), paid.Balance);

        var refused = await Ledger.PostAsync(accountId, new Money(-70_001), "振込", DateTimeOffset.UtcNow, Cancel);
        Assert.Equal(new PostingResult(PostingOutcome.InsufficientFunds, null, new Money(70_000)), refused);

        var emptied = await Ledger.PostAsync(accountId, new Money(-70_000), "ＡＴＭ　出金", DateTimeOffset.UtcNow, Cancel);
        Assert.Equal(Money.Zero, emptied.Balance);
        Assert.Equal(PostingOutcome.NoSuchAccount, (await Ledger.PostAsync(-1, new Money(-1), "振込", DateTimeOffset.UtcNow, Cancel)).Outcome);
        await AssertLedgerConsistentAsync(accountId, 0);
    }

    [Fact]
    public async Task Two_racing_debits_that_together_exceed_the_balance_one_succeeds_and_the_balance_never_goes_negative()
    {
        for (var round = 0; round < 10; round++)
        {
            var (_, accountId) = await CustomerWithAsync(At(Today, 9, "給与", 10_000));
            using var start = new SemaphoreSlim(0);
            var debits = Enumerable.Range(0, 2).Select(i => Task.Run(async () =>
            {
                await start.WaitAsync(Cancel);
                return await Ledger.PostAsync(accountId, new Money(-6_000), $"払込み {i}", DateTimeOffset.UtcNow, Cancel);
            }, Cancel)).ToList();
            start.Release(2);
            var results = await Task.WhenAll(debits);

            Assert.Single(results, r => r.Outcome == PostingOutcome.Posted);
            Assert.Single(results, r => r.Outcome == PostingOutcome.InsufficientFunds);
            await AssertLedgerConsistentAsync(accountId, 4_000);
        }
    }

    [Fact]
    public async Task Twenty_parallel_debits_book_exactly_as_many_as_the_balance_covers()
    {
        var (_, accountId) = await CustomerWithAsync(At(Today, 9, "給与", 50_000));
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(() => Ledger.PostAsync(accountId, new Money(-7_000), $"払込み {i}", DateTimeOffset.UtcNow, Cancel), Cancel)));
        Assert.Equal(7, results.Count(r => r.Posted)); // 7 × 7,000 = 49,000 ≤ 50,000 < 8 × 7,000
        await AssertLedgerConsistentAsync(accountId, 1_000);
    }

    [Fact]
    public async Task The_database_itself_refuses_a_negative_balance()
    {
        var (_, accountId) = await CustomerWithAsync(At(Today, 9, "給与", 1_000));
        await using var db = portal.Database.CreateContext();
        var e = await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            db.Accounts.Where(a => a.Id == accountId).ExecuteUpdateAsync(s => s.SetProperty(a => a.Balance, -1L), Cancel));
        Assert.Equal(Npgsql.PostgresErrorCodes.CheckViolation, e.SqlState);
    }

    [Fact]
    public async Task The_statement_is_the_periods_entries_newest_first_paged_with_totals()
    {
        var today = Today;
        var (customer, _) = await CustomerWithAsync(
            At(today.AddMonths(-2), 9, "給与　二か月前", 300_000),
            At(today.AddDays(-10), 9, "給与", 250_000),
            At(today.AddDays(-8), 10, "口座振替　電気料金", -8_000),
            At(today.AddDays(-3), 12, "ＡＴＭ　出金", -20_000),
            At(today, 0, "振込　ミナミ　ハナコ", 5_000));
        var month = StatementPeriods.Fixed(PeriodKind.Month, today);

        var totals = await Statements.GetTotalsAsync(customer.UserId, month, Cancel);
        Assert.Equal(new StatementTotals(4, new Money(28_000), new Money(255_000)), totals);

        var first = await Statements.GetPageAsync(customer.UserId, month, 0, 3, Cancel);
        Assert.Equal(["振込　ミナミ　ハナコ", "ＡＴＭ　出金", "口座振替　電気料金"], first.Select(l => l.Description));
        Assert.Equal(new Money(527_000), first[0].BalanceAfter);
        Assert.Equal((new Money(20_000), Money.Zero), (first[1].Paid, first[1].Received));
        var second = await Statements.GetPageAsync(customer.UserId, month, 1, 3, Cancel);
        Assert.Equal(["給与"], second.Select(l => l.Description));

        var week = StatementPeriods.Fixed(PeriodKind.Week, today);
        Assert.Equal(2, (await Statements.GetTotalsAsync(customer.UserId, week, Cancel)).Count);
        var empty = new StatementPeriod(PeriodKind.Custom, today.AddMonths(-6), today.AddMonths(-5));
        Assert.Equal(StatementTotals.None, await Statements.GetTotalsAsync(customer.UserId, empty, Cancel));
        Assert.Empty(await Statements.GetPageAsync(customer.UserId, empty, 0, 20, Cancel));

        var summary = await Statements.GetSummaryAsync(customer.UserId, Cancel);
        Assert.Equal(new Money(527_000), summary!.Balance);
        Assert.True(Account.IsAccountNumber(summary.Number));
        Assert.Null(await Statements.GetSummaryAsync("no-such-user", Cancel));
    }

    [Fact]
    public async Task Thirteen_months_of_demo_history_keeps_a_consistent_running_balance()
    {
        var customer = await portal.CreateCustomerAsync();
        var (accountId, balance) = await portal.CreateAccountAsync(customer.UserId);
        await AssertLedgerConsistentAsync(accountId, balance.Yen);
        var longest = new StatementPeriod(PeriodKind.Custom, StatementPeriods.Earliest(Today), Today);
        var totals = await Statements.GetTotalsAsync(customer.UserId, longest, Cancel);
        Assert.True(totals.Count > 120, $"{totals.Count} entries");
        Assert.Equal(balance, totals.Received - totals.Paid);
    }

    [Fact]
    public async Task The_csv_is_utf8_with_a_bom_a_header_row_and_the_periods_entries_oldest_first()
    {
        var today = Today;
        var (customer, _) = await CustomerWithAsync(
            At(today.AddDays(-2), 9, "給与　キタシン商事", 250_000),
            At(today.AddDays(-1), 10, "振込　\"カ,ミナミ\"", -1_500),
            At(today.AddDays(-1), 11, "=HYPERLINK(\"x\")", -500));
        using var client = await HttpSignIn.SignedInClientAsync(portal, customer.UserId, SignInFactors.Password);

        var response = await client.GetAsync("/banking/account/statement.csv?period=week", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.StartsWith("入出金明細_", disposition.FileNameStar);
        Assert.Contains("filename*=UTF-8''", response.Content.Headers.GetValues("Content-Disposition").Single());
        var bytes = await response.Content.ReadAsByteArrayAsync(Cancel);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n");
        Assert.Equal("日付,摘要,お支払金額,お預り金額,差引残高", lines[0]);
        var day = (int offset) => JapanTime.FormatCompactDate(At(today.AddDays(offset), 9, "", 0).At);
        Assert.Equal($"{day(-2)},給与　キタシン商事,,250000,250000", lines[1]);
        Assert.Equal($"{day(-1)},\"振込　\"\"カ,ミナミ\"\"\",1500,,248500", lines[2]);
        Assert.Equal($"{day(-1)},\"'=HYPERLINK(\"\"x\"\")\",500,,248000", lines[3]); // never a formula in Excel
        Assert.Equal("", lines[4]);
    }

    [Theory]
    [InlineData("?period=custom&from=2026-02-01&to=2026-01-31", "終了日は開始日と同じか")]
    [InlineData("?period=custom&from=2000-01-01&to=2000-01-31", "13か月前まで")]
    [InlineData("?period=custom&from=abc&to=%00%3Cscript%3E", "開始日は日付")]
    [InlineData("?period=year", "照会期間の指定が正しくありません")]
    [InlineData("?period=month&period=week", "照会期間の指定が正しくありません")]
    public async Task A_bad_period_gets_a_400_with_the_reason_never_a_server_error(string query, string message)
    {
        var (customer, _) = await CustomerWithAsync(At(Today, 9, "給与", 1_000));
        using var client = await HttpSignIn.SignedInClientAsync(portal, customer.UserId, SignInFactors.Password);
        var response = await client.GetAsync("/banking/account/statement.csv" + query, Cancel);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task A_customer_never_sees_another_customers_account_whatever_the_url()
    {
        var (other, otherAccountId) = await CustomerWithAsync(At(Today, 9, "他人の給与　ヒミツ", 777_777));
        var (customer, accountId) = await CustomerWithAsync(At(Today, 9, "給与", 1_000));
        using var client = await HttpSignIn.SignedInClientAsync(portal, customer.UserId, SignInFactors.Password);
        string[] urls =
        [
            "/banking/account/statement.csv",
            $"/banking/account/statement.csv?accountId={otherAccountId}&userId={other.UserId}",
            $"/banking/account/statement.csv?period=today&account={otherAccountId}",
            $"/banking/account?accountId={otherAccountId}&userId={other.UserId}",
            $"/banking/account/{otherAccountId}",
            $"/banking/account/statement.csv/{otherAccountId}",
        ];
        foreach (var url in urls)
        {
            var response = await client.GetAsync(url, Cancel);
            var body = await response.Content.ReadAsStringAsync(Cancel);
            Assert.True((int)response.StatusCode < 500, url);
            Assert.DoesNotContain("ヒミツ", body);
            Assert.DoesNotContain("777,777", body);
            Assert.DoesNotContain("777777", body);
        }
        // And signed out: nothing at all.
        using var anonymous = HttpSignIn.NewClient(portal);
        var signedOut = await anonymous.GetAsync("/banking/account/statement.csv", Cancel);
        Assert.NotEqual(HttpStatusCode.OK, signedOut.StatusCode);
        Assert.DoesNotContain("給与", await signedOut.Content.ReadAsStringAsync(Cancel));
        Assert.NotEqual(otherAccountId, accountId);
    }

    [Fact]
    public async Task Staff_see_the_account_number_and_balance_in_a_customers_detail()
    {
        var (customer, _) = await CustomerWithAsync(At(Today, 9, "給与", 123_456));
        var admin = await portal.CreateCustomerAsync("管理 花子");
        await portal.MakeAdminAsync(admin.UserId);
        using var client = await HttpSignIn.SignedInClientAsync(portal, admin.UserId, SignInFactors.PasswordAndOtp);

        var html = WebUtility.HtmlDecode(await client.GetStringAsync($"/admin/otp/{customer.UserId}", Cancel));
        var summary = await Statements.GetSummaryAsync(customer.UserId, Cancel);
        Assert.Contains($"本店 普通 {summary!.Number}", html);
        Assert.Contains("123,456円", html);
        // Read only: the detail offers no way to move money.
        Assert.DoesNotContain("/banking/", html);
    }
}
