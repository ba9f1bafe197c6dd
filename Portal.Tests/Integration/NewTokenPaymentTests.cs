using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Portal.Banking;
using Portal.Banking.PayEasy;
using Portal.Domain;
using Portal.Domain.Banking;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Otp;
using Portal.Tests.Support;
using static Portal.Tests.Support.Bookings;

namespace Portal.Tests.Integration;

/// <summary>
/// SPEC 7 against a stolen password, on the real PostgreSQL: a password alone moves no money, not even in the session where
/// use was started; 利用開始 ends the customer's other sessions; and a new token pays at most 50,000円 a day for 72 hours.
/// </summary>
public sealed class NewTokenPaymentTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 24, 3, 0, 10, TimeSpan.Zero); // noon in Japan
    private readonly FakeTimeProvider _clock = new(Start);
    private readonly PortalFactory _portal;
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    public NewTokenPaymentTests() => _portal = new PortalFactory { Clock = _clock };

    public ValueTask InitializeAsync() => _portal.InitializeAsync();
    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    private PayEasyPayments Payments => _portal.Services.GetRequiredService<PayEasyPayments>();

    private async Task<EnrolledCustomer> PayerAsync(long balance)
    {
        var customer = await _portal.CreateEnrolledCustomerAsync(_clock.GetUtcNow());
        await _portal.CreateAccountAsync(customer.Customer.UserId, [At(new DateOnly(2026, 11, 20), 9, "給与", balance)]);
        return customer;
    }

    [Fact]
    public async Task A_session_signed_in_with_the_password_alone_cannot_pay()
    {
        var customer = await PayerAsync(100_000);
        var bill = await _portal.CreateBillAsync(8_000);
        var passwordOnly = new CustomerRef(customer.Customer.UserId, "198.51.100.30", null, SignedInWithCode: false);

        Assert.Equal(PayEasyBlock.CodeSignInRequired, (await Payments.CheckAccessAsync(passwordOnly, Cancel)).Block);
        Assert.Equal(InstitutionOutcome.Blocked, (await Payments.FindInstitutionAsync(passwordOnly, "58021", Cancel)).Outcome);
        var lookup = await Payments.LookUpBillAsync(passwordOnly, bill.InstitutionNumber, bill.CustomerNumber, "1234", null, Cancel);
        Assert.Equal((LookupOutcome.Blocked, PayEasyBlock.CodeSignInRequired), (lookup.Outcome, lookup.Access!.Block));

        // A confirmation made in a session with the code cannot be executed from one without it.
        var confirmation = (await Payments.LookUpBillAsync(CodeSession.Of(customer.Customer.UserId), bill.InstitutionNumber,
            bill.CustomerNumber, "1234", null, Cancel)).Confirmation!;
        var code = TransactionAuthentication.Compute(Base32Encoding.ToBytes(customer.Token.Secret), bill.InstitutionNumber, 8_000, _clock.GetUtcNow());
        var executed = await Payments.ExecuteAsync(passwordOnly, confirmation.Key, code, Cancel);
        Assert.Equal((ExecutionOutcome.Blocked, PayEasyBlock.CodeSignInRequired), (executed.Outcome, executed.Access!.Block));
        await using var db = _portal.Database.CreateContext();
        Assert.False(await db.Payments.AnyAsync(p => p.UserId == customer.Customer.UserId && p.Status == PaymentStatus.Accepted, Cancel));

        // The same code in the session with the code pays: the refusal above claimed nothing.
        Assert.Equal(ExecutionOutcome.Accepted, (await Payments.ExecuteAsync(CodeSession.Of(customer.Customer.UserId), confirmation.Key, code, Cancel)).Outcome);
    }

    [Fact]
    public async Task A_new_token_pays_at_most_50000_yen_a_day_for_72_hours_and_the_screens_say_until_when()
    {
        var customer = await PayerAsync(500_000);
        var payer = CodeSession.Of(customer.Customer.UserId);
        var until = Start + TimeSpan.FromHours(72);

        var access = await Payments.CheckAccessAsync(payer, Cancel);
        Assert.Equal(new PaymentLimit(new Money(50_000), until), access.Limit);
        Assert.Contains(JapanTime.FormatDateTime(until), PayEasyText.NewTokenLimit(access.Limit));
        Assert.Contains("50,000円", PayEasyText.NewTokenLimit(access.Limit));

        var big = await _portal.CreateBillAsync(60_000);
        var refused = await Payments.LookUpBillAsync(payer, big.InstitutionNumber, big.CustomerNumber, "1234", null, Cancel);
        Assert.Equal(LookupOutcome.OverDailyLimit, refused.Outcome);
        var message = PayEasyText.Lookup(refused, publicBody: false, refused.Access!.Limit)!;
        Assert.Contains("50,000円", message);
        Assert.Contains(JapanTime.FormatDateTime(until), message);

        // Within the limit it pays, and what was paid counts toward it: 40,000 + 12,000 is over.
        var first = await _portal.CreateBillAsync(40_000);
        await PayAsync(customer, first, 40_000);
        var second = await _portal.CreateBillAsync(12_000);
        Assert.Equal(LookupOutcome.OverDailyLimit,
            (await Payments.LookUpBillAsync(payer, second.InstitutionNumber, second.CustomerNumber, "1234", null, Cancel)).Outcome);

        // 72 hours after 利用開始 the bank's own limit is back.
        _clock.SetUtcNow(until);
        var later = await Payments.CheckAccessAsync(payer, Cancel);
        Assert.Equal(new PaymentLimit(new Money(PayEasyRules.DefaultDailyLimitYen), null), later.Limit);
        Assert.Null(PayEasyText.NewTokenLimit(later.Limit));
        await PayAsync(customer, big, 60_000);
    }

    [Fact]
    public async Task The_limit_is_checked_again_at_execution()
    {
        // Two confirmations shown while each fitted: the second 実行 would cross the new-token limit and is refused.
        var customer = await PayerAsync(500_000);
        var payer = CodeSession.Of(customer.Customer.UserId);
        var a = await _portal.CreateBillAsync(30_000);
        var b = await _portal.CreateBillAsync(30_000, "71450");
        var confirmA = (await Payments.LookUpBillAsync(payer, a.InstitutionNumber, a.CustomerNumber, "1234", null, Cancel)).Confirmation!;
        var confirmB = (await Payments.LookUpBillAsync(payer, b.InstitutionNumber, b.CustomerNumber, "1234", null, Cancel)).Confirmation!;
        var secret = Base32Encoding.ToBytes(customer.Token.Secret);
        Assert.Equal(ExecutionOutcome.Accepted, (await Payments.ExecuteAsync(payer, confirmA.Key,
            TransactionAuthentication.Compute(secret, "58021", 30_000, _clock.GetUtcNow()), Cancel)).Outcome);
        var second = await Payments.ExecuteAsync(payer, confirmB.Key, TransactionAuthentication.Compute(secret, "71450", 30_000, _clock.GetUtcNow()), Cancel);
        Assert.Equal(ExecutionOutcome.DailyLimit, second.Outcome);
    }

    [Fact]
    public async Task Start_of_use_ends_the_customers_other_sessions_and_keeps_its_own()
    {
        var customer = await _portal.CreateCustomerAsync();
        var sessions = _portal.Services.GetRequiredService<PortalSessions>();
        var here = await sessions.StartAsync(customer.UserId, "198.51.100.31", "here", Cancel);
        var elsewhere = await sessions.StartAsync(customer.UserId, "198.51.100.32", "elsewhere", Cancel);
        var (token, _) = await _portal.IssueAndActivateAsync(customer.UserId);

        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var started = await scope.ServiceProvider.GetRequiredService<OtpEnrollment>()
                .StartUseAsync(customer.UserId, TokenHelpers.CodeAt(token, _clock.GetUtcNow()), null, here.Id, Cancel);
            Assert.True(started.Succeeded);
        }

        Assert.NotNull(await sessions.FindLiveAsync(here.Id, customer.UserId, Cancel));
        Assert.Null(await sessions.FindLiveAsync(elsewhere.Id, customer.UserId, Cancel));
        await using var db = _portal.Database.CreateContext();
        Assert.Equal("otp-started", await db.PortalSessions.Where(s => s.Id == elsewhere.Id).Select(s => s.EndReason).SingleAsync(Cancel));
    }

    private async Task PayAsync(EnrolledCustomer customer, Bill bill, long amount)
    {
        var payer = CodeSession.Of(customer.Customer.UserId);
        var lookup = await Payments.LookUpBillAsync(payer, bill.InstitutionNumber, bill.CustomerNumber, "1234", null, Cancel);
        Assert.Equal(LookupOutcome.Confirm, lookup.Outcome);
        var code = TransactionAuthentication.Compute(Base32Encoding.ToBytes(customer.Token.Secret), bill.InstitutionNumber, amount, _clock.GetUtcNow());
        Assert.Equal(ExecutionOutcome.Accepted, (await Payments.ExecuteAsync(payer, lookup.Confirmation!.Key, code, Cancel)).Outcome);
    }
}
