using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Otp;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>
/// One proof for every code (OtpProof): sign-in, 利用開始 and 利用解除 all check the lock first, claim the step once,
/// audit and mail a replay, count toward the lock; and a database error is never taken for a used code.
/// </summary>
public class OtpProofTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PortalFactory _portal;
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    public OtpProofTests() => _portal = new PortalFactory { Clock = _clock };

    public ValueTask InitializeAsync() => _portal.InitializeAsync();
    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    private DateTimeOffset Now => _clock.GetUtcNow();

    private async Task<T> WithAsync<T, TService>(Func<TService, Task<T>> use) where TService : notnull
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private Task<CodeCheckResult> StartUseAsync(string userId, string code) =>
        WithAsync<CodeCheckResult, OtpEnrollment>(e => e.StartUseAsync(userId, code, "198.51.100.8", cancellationToken: Cancel));

    private Task<CodeCheckResult> CancelUseAsync(string userId, string code) =>
        WithAsync<CodeCheckResult, OtpEnrollment>(e => e.CancelUseAsync(userId, code, "198.51.100.8", null, Cancel));

    private Task<PasswordCheckResult> SignInCodeAsync(string userId, string code) =>
        WithAsync<PasswordCheckResult, PasswordSignIn>(s => s.CheckOtpAsync(new PendingOtpSignIn(userId, Now.AddMinutes(5)), code, null, Cancel));

    private Task<RegistrationStatus> StatusAsync(string userId) =>
        WithAsync<RegistrationStatus, OtpEnrollment>(async e => (await e.GetOverviewAsync(userId, Cancel)).Status);

    /// <summary>A customer whose token app is set up (申請済, secret issued), and the token.</summary>
    private async Task<(TestCustomer Customer, string Mobile, ActivatedToken Token)> ActivatedAsync()
    {
        var customer = await _portal.CreateCustomerAsync();
        var mobile = $"p{Guid.NewGuid():N}"[..12] + "@docomo.ne.jp";
        var issued = await WithAsync<IssueTokenResult, OtpEnrollment>(e => e.IssueTokenAsync(customer.UserId,
            new IssueTokenInput(mobile, "1234", "1234"), null, Cancel));
        Assert.True(issued.MailSent);
        var (_, code, serviceId, tokenUserId) = TokenHelpers.ReadIssueMail((await MailDev.WaitForMailAsync(mobile)).Text);
        using var client = _portal.CreateClient();
        return (customer, mobile, await TokenHelpers.ActivateOkAsync(client, serviceId, tokenUserId, "1234", code));
    }

    [Fact]
    public async Task A_customer_locked_by_wrong_codes_cannot_start_use_with_the_next_right_code()
    {
        var (customer, _, token) = await ActivatedAsync();
        var wrong = TokenHelpers.CodeAt(token, Now.AddMinutes(5));
        for (var i = 0; i < 4; i++) Assert.Equal(CodeError.Wrong, (await StartUseAsync(customer.UserId, wrong)).CodeError);
        var fifth = await StartUseAsync(customer.UserId, wrong);
        Assert.Equal(OtpRefusal.LockedOut, fifth.Refusal);
        Assert.NotNull(fifth.LockedUntil);

        _clock.Advance(TimeSpan.FromSeconds(30));
        var right = await StartUseAsync(customer.UserId, TokenHelpers.CodeAt(token, Now));
        Assert.Equal(OtpRefusal.LockedOut, right.Refusal);
        Assert.Equal(RegistrationStatus.Applied, await StatusAsync(customer.UserId));
    }

    [Fact]
    public async Task A_locked_customer_cannot_cancel_use_with_a_right_code()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        var customer = enrolled.Customer;
        for (var i = 0; i < 5; i++)
            await WithAsync<PasswordCheckResult, PasswordSignIn>(s => s.CheckAsync(customer.LoginId, "Wrong-pass-1", null, Cancel));

        _clock.Advance(TimeSpan.FromSeconds(30));
        var result = await CancelUseAsync(customer.UserId, TokenHelpers.CodeAt(enrolled.Token, Now));
        Assert.Equal(OtpRefusal.LockedOut, result.Refusal);
        Assert.Equal(RegistrationStatus.InUse, await StatusAsync(customer.UserId));
    }

    [Fact]
    public async Task A_replayed_code_at_cancel_of_use_is_audited_as_a_replay_mailed_and_counted()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        var sameCode = TokenHelpers.CodeAt(enrolled.Token, Now); // used by the start of use

        var result = await CancelUseAsync(enrolled.Customer.UserId, sameCode);

        Assert.Equal(CodeError.Wrong, result.CodeError);
        Assert.Equal(RegistrationStatus.InUse, await StatusAsync(enrolled.Customer.UserId));
        Assert.Equal(1, (await _portal.FindUserAsync(enrolled.Customer.UserId)).AccessFailedCount);
        await using var db = _portal.Database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.UserId == enrolled.Customer.UserId && a.Event == AuditEvents.ReplayRefused, Cancel);
        Assert.Equal((AuditEvents.Failed, AuditEvents.Cancelled, "198.51.100.8"), (entry.Outcome, entry.Detail, entry.SourceAddress));
        await MailDev.WaitForMailAsync(enrolled.Customer.Email, m => m.Subject.Contains("使用済み"));
    }

    [Fact]
    public async Task A_right_code_clears_the_failures_wherever_it_is_given()
    {
        var (customer, _, token) = await ActivatedAsync();
        await StartUseAsync(customer.UserId, TokenHelpers.CodeAt(token, Now.AddMinutes(5)));
        await StartUseAsync(customer.UserId, TokenHelpers.CodeAt(token, Now.AddMinutes(5)));
        Assert.Equal(2, (await _portal.FindUserAsync(customer.UserId)).AccessFailedCount);

        Assert.True((await StartUseAsync(customer.UserId, TokenHelpers.CodeAt(token, Now))).Succeeded);
        Assert.Equal(0, (await _portal.FindUserAsync(customer.UserId)).AccessFailedCount);
    }

    [Fact]
    public async Task A_database_error_while_claiming_the_step_is_not_a_replay_counts_nothing_and_the_code_still_works()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        var userId = enrolled.Customer.UserId;
        _clock.Advance(TimeSpan.FromSeconds(30));
        var code = TokenHelpers.CodeAt(enrolled.Token, Now);

        await FailClaimsAsync(true);
        Assert.Equal(PasswordCheckOutcome.Unavailable, (await SignInCodeAsync(userId, code)).Outcome);
        Assert.Equal(OtpRefusal.Unavailable, (await CancelUseAsync(userId, code)).Refusal);
        await FailClaimsAsync(false);

        Assert.Equal(0, (await _portal.FindUserAsync(userId)).AccessFailedCount);
        await using (var db = _portal.Database.CreateContext())
        {
            Assert.False(await db.AuditEntries.AnyAsync(a => a.UserId == userId
                && (a.Event == AuditEvents.ReplayRefused || a.Outcome == AuditEvents.Failed), Cancel));
        }
        // Nothing was claimed, so the same code signs in once the database answers again.
        Assert.Equal(PasswordCheckOutcome.Succeeded, (await SignInCodeAsync(userId, code)).Outcome);
        Assert.DoesNotContain(await MailDev.AllToAsync(enrolled.Customer.Email), m => m.Subject.Contains("使用済み"));
    }

    /// <summary>Makes every claim of a step fail with a database error that is not a unique-key violation.</summary>
    private async Task FailClaimsAsync(bool fail)
    {
        await using var connection = new NpgsqlConnection(_portal.Database.ConnectionString);
        await connection.OpenAsync(Cancel);
        var sql = fail
            ? """
              CREATE OR REPLACE FUNCTION test_fail_claim() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated outage'; END $$;
              CREATE TRIGGER test_fail_claim BEFORE INSERT ON "UsedOtpSteps" FOR EACH ROW EXECUTE FUNCTION test_fail_claim();
              """
            : """DROP TRIGGER test_fail_claim ON "UsedOtpSteps";""";
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Cancel);
    }
}
