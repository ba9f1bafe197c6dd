using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OtpNet;
using Portal.Banking.PayEasy;
using Portal.Domain;
using Portal.Domain.Banking;
using Portal.Domain.Otp;
using Portal.Tests.Support;
using static Portal.Tests.Support.Bookings;

namespace Portal.Tests.Integration;

/// <summary>
/// The same payment on the embedded default, SQLite (its own migration set): one debit for doubled executions, no
/// overdraft from parallel payments, the bill paid once.
/// </summary>
public sealed class PayEasySqliteTests : SqlitePortalTests
{
    private PayEasyPayments Payments => Portal.Services.GetRequiredService<PayEasyPayments>();

    [Fact]
    public async Task On_sqlite_doubled_executions_debit_once_and_parallel_payments_never_overdraw()
    {
        var now = DateTimeOffset.UtcNow;
        var customer = await Portal.CreateEnrolledCustomerAsync(now);
        var userId = customer.Customer.UserId;
        var (accountId, _) = await Portal.CreateAccountAsync(userId, [At(JapanTime.Today(TimeProvider.System).AddDays(-2), 9, "給与", 25_000)]);
        var secret = Base32Encoding.ToBytes(customer.Token.Secret);

        var confirmations = new List<(PaymentConfirmation Confirmation, string Code)>();
        for (var i = 0; i < 3; i++)
        {
            var amount = 10_000 + i;
            var bill = await Portal.CreateBillAsync(amount);
            var lookup = await Payments.LookUpBillAsync(CodeSession.Of(userId), bill.InstitutionNumber, bill.CustomerNumber, "1234", null, Cancel);
            Assert.Equal(LookupOutcome.Confirm, lookup.Outcome);
            confirmations.Add((lookup.Confirmation!, TransactionAuthentication.Compute(secret, bill.InstitutionNumber, amount, DateTimeOffset.UtcNow)));
        }

        // Each confirmation executed three times at once: two of the three payments fit the balance.
        var runs = confirmations.SelectMany(c => Enumerable.Range(0, 3).Select(_ =>
            Task.Run(() => Payments.ExecuteAsync(CodeSession.Of(userId), c.Confirmation.Key, c.Code, Cancel), Cancel))).ToList();
        var results = await Task.WhenAll(runs);

        var receipts = results.Where(r => r.Outcome == ExecutionOutcome.Accepted).Select(r => r.Receipt!.ReceiptNumber).Distinct().ToList();
        Assert.Equal(2, receipts.Count);
        await using var db = Portal.CreatePortalContext();
        Assert.True(db.Database.IsSqlite());
        var balance = await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Balance).SingleAsync(Cancel);
        Assert.True(balance >= 0);
        Assert.Equal(balance, await db.LedgerEntries.Where(e => e.AccountId == accountId).SumAsync(e => e.Amount, Cancel));
        Assert.Equal(2, await db.Payments.CountAsync(p => p.UserId == userId && p.Status == PaymentStatus.Accepted, Cancel));
        Assert.Equal(2, await db.Bills.CountAsync(b => b.Status == BillStatus.Paid, Cancel));
    }
}
