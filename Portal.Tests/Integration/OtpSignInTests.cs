using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Identity;
using Portal.Otp;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>The ワンタイムパスワード入力 step and the rules around every code, on PostgreSQL, on a controlled clock.</summary>
public class OtpSignInTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PortalFactory _portal;
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    public OtpSignInTests() => _portal = new PortalFactory { Clock = _clock };

    public ValueTask InitializeAsync() => _portal.InitializeAsync();
    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    private DateTimeOffset Now => _clock.GetUtcNow();

    private async Task<T> WithAsync<T, TService>(PortalFactory portal, Func<TService, Task<T>> use) where TService : notnull
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private Task<PasswordCheckResult> PasswordAsync(TestCustomer c, string password) =>
        WithAsync<PasswordCheckResult, PasswordSignIn>(_portal, s => s.CheckAsync(c.LoginId, password, null, Cancel));

    private Task<PasswordCheckResult> OtpAsync(TestCustomer c, string code, PortalFactory? portal = null) =>
        WithAsync<PasswordCheckResult, PasswordSignIn>(portal ?? _portal,
            s => s.CheckOtpAsync(new PendingOtpSignIn(c.UserId, Now.AddMinutes(5)), code, "198.51.100.7", Cancel));

    [Fact]
    public async Task A_customer_in_use_needs_a_code_after_the_password_and_gets_a_two_factor_ticket()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        var password = await PasswordAsync(enrolled.Customer, enrolled.Customer.Password);
        Assert.Equal(PasswordCheckOutcome.OtpRequired, password.Outcome);
        Assert.Null(password.Ticket);

        _clock.Advance(TimeSpan.FromSeconds(30));
        var code = await WithAsync<PasswordCheckResult, PasswordSignIn>(_portal,
            s => s.CheckOtpAsync(password.Pending!, TokenHelpers.CodeAt(enrolled.Token, Now), null, Cancel));
        Assert.Equal(PasswordCheckOutcome.Succeeded, code.Outcome);

        await using var scope = _portal.Services.CreateAsyncScope();
        var redeemed = await scope.ServiceProvider.GetRequiredService<SignInTickets>().RedeemAsync(code.Ticket, Cancel);
        Assert.Equal(SignInFactors.PasswordAndOtp, redeemed!.Factors);
    }

    [Fact]
    public async Task The_same_code_sent_by_24_parallel_requests_on_two_instances_is_accepted_exactly_once()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        // The lock out of the way: 23 replays counted at once lock the ID, and had five of them been counted before the
        // one claim's acceptance, that would be refused too (BurstLockTests). Here only the claim is under test.
        await using var first = PortalFactory.On(_portal.Database, _clock).With("SignIn:MaxFailedAttempts", "100");
        await using var second = PortalFactory.On(_portal.Database, _clock).With("SignIn:MaxFailedAttempts", "100");
        _ = first.Services;
        _ = second.Services;
        _clock.Advance(TimeSpan.FromSeconds(30));
        var code = TokenHelpers.CodeAt(enrolled.Token, Now);

        var results = await Task.WhenAll(Enumerable.Range(0, 24)
            .Select(i => Task.Run(() => OtpAsync(enrolled.Customer, code, i % 2 == 0 ? first : second))));

        Assert.Single(results, r => r.Outcome == PasswordCheckOutcome.Succeeded);
        await using var db = _portal.Database.CreateContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.UserId == enrolled.Customer.UserId && a.Event == "replay-refused", Cancel));
    }

    private Task<CodeCheck> ProveAsync(string userId, string code, PortalFactory? portal = null) => WithAsync<CodeCheck, OtpProof>(portal ?? _portal,
        async proof => await proof.ProveAsync((await proof.FindTokenInUseAsync(userId, Cancel))!, code, OtpPurpose.SignIn, null, Cancel));

    [Fact]
    public async Task Twenty_parallel_proofs_of_one_code_accept_one()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        // The lock out of the way, as above: five replays counted before the claim's acceptance would refuse it too.
        await using var roomy = PortalFactory.On(_portal.Database, _clock).With("SignIn:MaxFailedAttempts", "100");
        _ = roomy.Services;
        _clock.Advance(TimeSpan.FromSeconds(30));
        var code = TokenHelpers.CodeAt(enrolled.Token, Now);
        var verdicts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => ProveAsync(enrolled.Customer.UserId, code, roomy))));
        Assert.Single(verdicts, v => v.Verdict == CodeVerdict.Accepted);
        // The others are replays, each counted (those counted before the acceptance were cleared by it).
        Assert.All(verdicts.Where(v => v.Verdict != CodeVerdict.Accepted), v => Assert.Equal(CodeVerdict.Replayed, v.Verdict));
    }

    [Fact]
    public async Task Codes_of_the_previous_and_next_step_are_accepted_two_steps_away_refused()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        _clock.Advance(TimeSpan.FromMinutes(10));
        var userId = enrolled.Customer.UserId;
        Task<CodeCheck> Check(int seconds) => ProveAsync(userId, TokenHelpers.CodeAt(enrolled.Token, Now.AddSeconds(seconds)));

        Assert.Equal(CodeVerdict.Wrong, (await Check(-60)).Verdict);
        Assert.Equal(CodeVerdict.Wrong, (await Check(60)).Verdict);
        Assert.Equal(new CodeCheck(CodeVerdict.Accepted, -1), await Check(-30));
        Assert.Equal(new CodeCheck(CodeVerdict.Accepted, 1), await Check(30));
        Assert.Equal(new CodeCheck(CodeVerdict.Accepted, 0), await Check(0));
        Assert.Equal(CodeVerdict.Replayed, (await Check(0)).Verdict);
    }

    [Fact]
    public async Task Password_and_code_failures_count_together_five_lock_and_not_before()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        var customer = enrolled.Customer;
        _clock.Advance(TimeSpan.FromMinutes(5));

        Assert.Equal(PasswordCheckOutcome.Failed, (await PasswordAsync(customer, "Wrong-pass-1")).Outcome);
        Assert.Equal(PasswordCheckOutcome.Failed, (await PasswordAsync(customer, "Wrong-pass-2")).Outcome);
        // The right password alone clears nothing for a two-factor customer.
        Assert.Equal(PasswordCheckOutcome.OtpRequired, (await PasswordAsync(customer, customer.Password)).Outcome);
        Assert.Equal(2, (await _portal.FindUserAsync(customer.UserId)).AccessFailedCount);

        var wrong = TokenHelpers.CodeAt(enrolled.Token, Now.AddMinutes(3));
        Assert.Equal(PasswordCheckOutcome.Failed, (await OtpAsync(customer, wrong)).Outcome);
        Assert.Equal(PasswordCheckOutcome.Failed, (await OtpAsync(customer, wrong)).Outcome);
        Assert.Equal(4, (await _portal.FindUserAsync(customer.UserId)).AccessFailedCount);
        Assert.Null((await _portal.FindUserAsync(customer.UserId)).LockoutEnd);

        Assert.Equal(PasswordCheckOutcome.LockedOut, (await OtpAsync(customer, wrong)).Outcome);
        Assert.Equal(PasswordCheckOutcome.LockedOut, (await OtpAsync(customer, TokenHelpers.CodeAt(enrolled.Token, Now))).Outcome);
        var mail = await MailDev.WaitForMailAsync(enrolled.Customer.Email, m => m.Subject.Contains("ロック"));
        Assert.Contains("ロックしました", mail.Text);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("1234567")]
    [InlineData("abcdef")]
    [InlineData("😀😀😀")]
    [InlineData("<script>alert(1)</script>")]
    public async Task Malformed_codes_get_a_message_and_count_nothing(string code)
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        Assert.Equal(PasswordCheckOutcome.OtpMalformed, (await OtpAsync(enrolled.Customer, code)).Outcome);
        Assert.Equal(PasswordCheckOutcome.OtpMalformed, (await OtpAsync(enrolled.Customer, new string('1', 10_000))).Outcome);
        Assert.Equal(0, (await _portal.FindUserAsync(enrolled.Customer.UserId)).AccessFailedCount);
    }

    [Fact]
    public async Task The_code_step_expires_after_five_minutes()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        var pending = new PendingOtpSignIn(enrolled.Customer.UserId, Now.AddMinutes(5));
        _clock.Advance(TimeSpan.FromMinutes(5));
        var result = await WithAsync<PasswordCheckResult, PasswordSignIn>(_portal,
            s => s.CheckOtpAsync(pending, TokenHelpers.CodeAt(enrolled.Token, Now), null, Cancel));
        Assert.Equal(PasswordCheckOutcome.OtpExpired, result.Outcome);
    }

    [Fact]
    public async Task A_replayed_code_is_audited_and_the_customer_is_told_by_mail()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        var sameCode = TokenHelpers.CodeAt(enrolled.Token, Now); // used by start of use
        Assert.Equal(PasswordCheckOutcome.Failed, (await OtpAsync(enrolled.Customer, sameCode)).Outcome);
        var mail = await MailDev.WaitForMailAsync(enrolled.Customer.Email, m => m.Subject.Contains("使用済み"));
        Assert.Contains("お断りしました", mail.Text);
        await using var db = _portal.Database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.UserId == enrolled.Customer.UserId && a.Event == "replay-refused", Cancel);
        Assert.Equal("198.51.100.7", entry.SourceAddress);
    }

    [Fact]
    public async Task A_phone_consistently_a_step_ahead_is_told_about_its_clock_and_the_history_shows_each_sign_in()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        var userId = enrolled.Customer.UserId;
        for (var i = 0; i < 3; i++)
        {
            Assert.Null((await WithAsync<OtpOverview, OtpEnrollment>(_portal, e => e.GetOverviewAsync(userId, Cancel))).ClockDriftSeconds);
            _clock.Advance(TimeSpan.FromMinutes(1));
            // The phone's clock runs 30 s ahead: its code is the server's next step.
            Assert.Equal(PasswordCheckOutcome.Succeeded, (await OtpAsync(enrolled.Customer, TokenHelpers.CodeAt(enrolled.Token, Now.AddSeconds(30)))).Outcome);
        }

        var overview = await WithAsync<OtpOverview, OtpEnrollment>(_portal, e => e.GetOverviewAsync(userId, Cancel));
        Assert.Equal(30, overview.ClockDriftSeconds);
        Assert.Equal(["sign-in-otp", "sign-in-otp", "sign-in-otp", "start-of-use", "activation", "token-issued"],
            overview.History!.Select(h => h.Event));
    }

    [Fact]
    public async Task Cancel_of_use_ends_the_customers_other_sessions_and_the_next_sign_in_asks_no_code()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        var customer = enrolled.Customer;
        await using var scope = _portal.Services.CreateAsyncScope();
        var sessions = scope.ServiceProvider.GetRequiredService<PortalSessions>();
        var here = await sessions.StartAsync(customer.UserId, null, "this browser", Cancel);
        var elsewhere = await sessions.StartAsync(customer.UserId, null, "another browser", Cancel);

        _clock.Advance(TimeSpan.FromSeconds(30));
        var cancelled = await WithAsync<CodeCheckResult, OtpEnrollment>(_portal,
            e => e.CancelUseAsync(customer.UserId, TokenHelpers.CodeAt(enrolled.Token, Now), null, here.Id, Cancel));
        Assert.True(cancelled.Succeeded);

        Assert.NotNull(await sessions.FindLiveAsync(here.Id, customer.UserId, Cancel));
        Assert.Null(await sessions.FindLiveAsync(elsewhere.Id, customer.UserId, Cancel));
        Assert.False((await _portal.FindUserAsync(customer.UserId)).TwoFactorEnabled);
        Assert.Equal(PasswordCheckOutcome.Succeeded, (await PasswordAsync(customer, customer.Password)).Outcome);
    }
}
