using System.Data.Common;
using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Portal.Banking.PayEasy;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Tests.Support;
using static Portal.Tests.Support.Bookings;

namespace Portal.Tests.Integration;

/// <summary>
/// SPEC section 7, "Every failure counts, however many arrives at once": two portal instances on one PostgreSQL
/// database take 20 wrong answers at once, spread over both, and lock at exactly five counted failures. A right answer
/// sent in the same burst is held just before the statement that would accept it until the burst has been answered,
/// so it always comes after the fifth failure, and is refused: the test does not depend on who wins a race.
/// </summary>
public class BurstLockTests : IAsyncLifetime
{
    private const int Burst = 20;
    private const int Max = 5;

    // Noon in Japan on a fixed day; the clock moves only when a test says so.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 3, 0, 10, TimeSpan.Zero));
    private readonly TestDatabase _database = new();
    private readonly HeldAcceptance _held = new();
    private readonly PortalFactory[] _portals;
    private CancellationToken Cancel => TestContext.Current.CancellationToken;
    private DateTimeOffset Now => _clock.GetUtcNow();

    public BurstLockTests() => _portals = [Instance(), Instance()];

    private PortalFactory Instance() => PortalFactory.On(_database, _clock)
        // Each instance hashes a few passwords at once, so the held right password does not keep the burst waiting.
        .With("SignIn:ConcurrentPasswordChecks", "8")
        .WithServices(services => services.ConfigureDbContext<PostgresPortalDbContext>(options => options.AddInterceptors(_held)));

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        foreach (var portal in _portals) _ = portal.Services; // starts it: the first migrates the database
    }

    public async ValueTask DisposeAsync()
    {
        _held.Release();
        foreach (var portal in _portals) await portal.DisposeAsync();
        await _database.DisposeAsync();
    }

    private PortalFactory First => _portals[0];

    [Fact]
    public async Task Twenty_wrong_sign_in_codes_at_once_on_two_instances_lock_at_exactly_five_and_a_right_code_in_the_burst_is_refused()
    {
        var enrolled = await First.CreateEnrolledCustomerAsync(Now);
        var userId = enrolled.Customer.UserId;
        _clock.Advance(TimeSpan.FromSeconds(30)); // the enrolment's code is used; this step's is not
        var right = TokenHelpers.CodeAt(enrolled.Token, Now);
        var wrong = WrongCodes(TokenHelpers.CodeAt(enrolled.Token, Now.AddSeconds(-30)), right, TokenHelpers.CodeAt(enrolled.Token, Now.AddSeconds(30)));
        var pending = new PendingOtpSignIn(userId, Now.AddMinutes(5));

        var (rightAnswer, wrongAnswers) = await BurstAsync(
            portal => WithAsync<PasswordSignIn, PasswordCheckResult>(portal, s => s.CheckOtpAsync(pending, right, "198.51.100.31", Cancel)),
            (portal, i) => WithAsync<PasswordSignIn, PasswordCheckResult>(portal, s => s.CheckOtpAsync(pending, wrong[i], "198.51.100.31", Cancel)));

        Assert.Equal(PasswordCheckOutcome.LockedOut, rightAnswer.Outcome);
        Assert.Equal(Max - 1, wrongAnswers.Count(a => a.Outcome == PasswordCheckOutcome.Failed));
        Assert.Equal(Burst - (Max - 1), wrongAnswers.Count(a => a.Outcome == PasswordCheckOutcome.LockedOut));
        Assert.All(wrongAnswers.Where(a => a.Outcome == PasswordCheckOutcome.LockedOut), a => Assert.Equal(Now.AddMinutes(30), a.LockedUntil));
        Assert.Null(rightAnswer.Ticket);
        await AssertLockedAtExactlyFiveAsync(userId, AuditEvents.SignInOtp, AuditDetails.WrongCode);
    }

    [Fact]
    public async Task Twenty_wrong_passwords_at_once_on_two_instances_lock_at_exactly_five_and_a_right_password_in_the_burst_is_refused()
    {
        var customer = await First.CreateCustomerAsync();

        var (rightAnswer, wrongAnswers) = await BurstAsync(
            portal => WithAsync<PasswordSignIn, PasswordCheckResult>(portal, s => s.CheckAsync(customer.LoginId, customer.Password, "198.51.100.32", Cancel)),
            (portal, i) => WithAsync<PasswordSignIn, PasswordCheckResult>(portal, s => s.CheckAsync(customer.LoginId, $"Wrong-pass-{i}", "198.51.100.32", Cancel)));

        Assert.Equal(PasswordCheckOutcome.LockedOut, rightAnswer.Outcome);
        Assert.Null(rightAnswer.Ticket);
        Assert.Equal(Max - 1, wrongAnswers.Count(a => a.Outcome == PasswordCheckOutcome.Failed));
        Assert.Equal(Burst - (Max - 1), wrongAnswers.Count(a => a.Outcome == PasswordCheckOutcome.LockedOut));
        await AssertLockedAtExactlyFiveAsync(customer.UserId, AuditEvents.SignInPassword, AuditDetails.WrongPassword);
    }

    [Fact]
    public async Task Twenty_wrong_passwords_at_once_for_an_unknown_id_on_two_instances_lock_it_at_exactly_five()
    {
        var unknown = "nobody" + Guid.NewGuid().ToString("N")[..8];
        var gate = new SemaphoreSlim(0);
        var runs = Enumerable.Range(0, Burst).Select(i => Task.Run(async () =>
        {
            await gate.WaitAsync(Cancel);
            return await WithAsync<PasswordSignIn, PasswordCheckResult>(_portals[i % 2],
                s => s.CheckAsync(unknown, $"Wrong-pass-{i}", "198.51.100.33", Cancel));
        }, Cancel)).ToList();
        gate.Release(Burst);
        var answers = await Task.WhenAll(runs);

        Assert.Equal(Max - 1, answers.Count(a => a.Outcome == PasswordCheckOutcome.Failed));
        Assert.Equal(Burst - (Max - 1), answers.Count(a => a.Outcome == PasswordCheckOutcome.LockedOut));
        Assert.All(answers.Where(a => a.Outcome == PasswordCheckOutcome.LockedOut), a => Assert.Equal(Now.AddMinutes(30), a.LockedUntil));
        await using var db = _database.CreateContext();
        var attempt = await db.UnknownLoginAttempts.SingleAsync(Cancel);
        Assert.Equal((0, (DateTimeOffset?)Now.AddMinutes(30)), (attempt.FailedCount, attempt.LockoutEnd)); // the count cleared as the lock was set
        Assert.Equal(1, LockLogLines(Portal.LogEvents.UnknownLoginLocked));
    }

    [Fact]
    public async Task Twenty_wrong_transaction_codes_from_as_many_confirmations_at_once_lock_at_exactly_five_and_a_right_one_pays_nothing()
    {
        var enrolled = await First.CreateEnrolledCustomerAsync(Now);
        var userId = enrolled.Customer.UserId;
        var (accountId, _) = await First.CreateAccountAsync(userId, [At(new DateOnly(2026, 11, 21), 9, "給与", 100_000)]);
        var payments = First.Services.GetRequiredService<PayEasyPayments>();
        var confirmations = new List<PaymentConfirmation>();
        for (var i = 0; i <= Burst; i++)
        {
            var bill = await First.CreateBillAsync(1_000 + i); // 払込内容確認 screens of 21 bills, all open at once
            var lookup = await payments.LookUpBillAsync(CodeSession.Of(userId, "198.51.100.34"), bill.InstitutionNumber, bill.CustomerNumber,
                bill.ConfirmationNumber, bill.PaymentCategory, Cancel);
            Assert.Equal(LookupOutcome.Confirm, lookup.Outcome);
            confirmations.Add(lookup.Confirmation!);
        }
        var secret = Base32Encoding.ToBytes(enrolled.Token.Secret);
        string CodeFor(PaymentConfirmation c, DateTimeOffset at) => TransactionAuthentication.Compute(secret, c.InstitutionNumber, c.Amount.Yen, at);
        var rightOne = confirmations[Burst];
        var right = CodeFor(rightOne, Now);
        // A wrong code for each screen: none that its own payment would accept in this step or the next or last.
        var wrong = confirmations.Take(Burst)
            .Select(c => WrongCodes(CodeFor(c, Now.AddSeconds(-30)), CodeFor(c, Now), CodeFor(c, Now.AddSeconds(30)))[0]).ToList();

        Task<ExecutionResult> Execute(PortalFactory portal, PaymentConfirmation confirmation, string code) =>
            portal.Services.GetRequiredService<PayEasyPayments>().ExecuteAsync(CodeSession.Of(userId, "198.51.100.34"), confirmation.Key, code, Cancel);
        var (rightAnswer, wrongAnswers) = await BurstAsync(
            portal => Execute(portal, rightOne, right),
            (portal, i) => Execute(portal, confirmations[i], wrong[i]));

        Assert.Equal(ExecutionOutcome.LockedOut, rightAnswer.Outcome);
        Assert.Equal(Max - 1, wrongAnswers.Count(a => a.Outcome == ExecutionOutcome.WrongCode));
        Assert.Equal(Burst - (Max - 1), wrongAnswers.Count(a => a.Outcome == ExecutionOutcome.LockedOut));
        await AssertLockedAtExactlyFiveAsync(userId, AuditEvents.Payment, AuditDetails.WrongCode);
        await using var db = _database.CreateContext();
        Assert.Equal(100_000, await db.Accounts.Where(a => a.Id == accountId).Select(a => a.Balance).SingleAsync(Cancel));
        Assert.False(await db.Payments.AnyAsync(p => p.UserId == userId && p.Status == Portal.Domain.Banking.PaymentStatus.Accepted, Cancel));
    }

    /// <summary>
    /// The right answer first, on the first instance, held just before its acceptance statement; then the burst of wrong
    /// ones, all released at once and spread over both instances; the right answer goes on once they are all answered.
    /// </summary>
    private async Task<(T Right, T[] Wrong)> BurstAsync<T>(Func<PortalFactory, Task<T>> rightAnswer, Func<PortalFactory, int, Task<T>> wrongAnswer)
    {
        _held.Arm();
        var right = Task.Run(() => rightAnswer(First), Cancel);
        // Code without the acceptance statement never reaches the hold: its right answer simply runs to its end.
        await Task.WhenAny(_held.Reached, right);

        var gate = new SemaphoreSlim(0);
        var wrong = Enumerable.Range(0, Burst).Select(i => Task.Run(async () =>
        {
            await gate.WaitAsync(Cancel);
            return await wrongAnswer(_portals[i % 2], i);
        }, Cancel)).ToList();
        gate.Release(Burst);
        var wrongAnswers = await Task.WhenAll(wrong);

        _held.Release();
        return (await right, wrongAnswers);
    }

    /// <summary>Five failures audited as wrong, one lock audited and logged, the lock set and the count cleared (Identity's rule).</summary>
    private async Task AssertLockedAtExactlyFiveAsync(string userId, string refusedEvent, string detail)
    {
        await using var db = _database.CreateContext();
        var trail = await db.AuditEntries.Where(a => a.UserId == userId).ToListAsync(Cancel);
        Assert.Equal(Max, trail.Count(a => a.Event == refusedEvent && a.Outcome == AuditEvents.Failed && a.Detail == detail));
        Assert.Single(trail, a => a.Event == AuditEvents.Locked);
        var user = await db.Users.SingleAsync(u => u.Id == userId, Cancel);
        Assert.Equal((0, (DateTimeOffset?)Now.AddMinutes(30)), (user.AccessFailedCount, user.LockoutEnd));
        Assert.Equal(1, LockLogLines());
    }

    private int LockLogLines(int eventId = Portal.LogEvents.AccountLocked) => _portals.Sum(p => p.Logs.Lines.Count(l => l.EventId.Id == eventId));

    /// <summary><see cref="Burst"/> well-formed codes, none of them one of <paramref name="rightOnes"/>.</summary>
    private static string[] WrongCodes(params string[] rightOnes) =>
        Enumerable.Range(100_000, Burst + rightOnes.Length).Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Except(rightOnes).Take(Burst).ToArray();

    private static async Task<TResult> WithAsync<TService, TResult>(PortalFactory portal, Func<TService, Task<TResult>> use) where TService : notnull
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    /// <summary>
    /// Holds the first statement tagged <see cref="AccountLock.AcceptTag"/> after <see cref="Arm"/> until <see cref="Release"/>:
    /// the right answer has been verified and waits at the very statement that decides whether it passes.
    /// </summary>
    private sealed class HeldAcceptance : DbCommandInterceptor
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _armed;

        public Task Reached => _reached.Task;

        public void Arm() => Volatile.Write(ref _armed, 1);

        public void Release() => _released.TrySetResult();

        private async Task HoldAsync(DbCommand command, CancellationToken cancellationToken)
        {
            if (!command.CommandText.Contains(AccountLock.AcceptTag, StringComparison.Ordinal)) return;
            if (Interlocked.Exchange(ref _armed, 0) != 1) return;
            _reached.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
        }

        public override async ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            await HoldAsync(command, cancellationToken);
            return result;
        }

        public override async ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<int> result, CancellationToken cancellationToken = default)
        {
            await HoldAsync(command, cancellationToken);
            return result;
        }
    }
}

/// <summary>
/// SPEC section 7, "Limits hold across instances": two portal instances on one database give one address the
/// configured number of sign-in attempts and token API calls in total, not each.
/// </summary>
public class SharedLimitTests : IAsyncLifetime
{
    private const int Limit = 3;

    // A few seconds into a minute, and the clock stands still: every attempt falls in one window.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 3, 0, 5, TimeSpan.Zero));
    private readonly TestDatabase _database = new();
    private readonly PortalFactory[] _portals;
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    public SharedLimitTests() => _portals = [Instance(), Instance()];

    private PortalFactory Instance() => PortalFactory.On(_database, _clock)
        .With("SignIn:AttemptsPerMinutePerAddress", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .With("Otp:ActivationRequestsPerMinute", Limit.ToString(System.Globalization.CultureInfo.InvariantCulture));

    public async ValueTask InitializeAsync()
    {
        await _database.InitializeAsync();
        foreach (var portal in _portals) _ = portal.Services;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var portal in _portals) await portal.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task One_address_gets_the_sign_in_attempts_of_one_instance_from_two()
    {
        var customer = await _portals[0].CreateCustomerAsync();
        var outcomes = new List<PasswordCheckOutcome>();
        for (var i = 0; i < Limit + 2; i++)
        {
            await using var scope = _portals[i % 2].Services.CreateAsyncScope();
            outcomes.Add((await scope.ServiceProvider.GetRequiredService<PasswordSignIn>()
                .CheckAsync(customer.LoginId, "Wrong-pass-1", "203.0.113.40", Cancel)).Outcome);
        }
        Assert.Equal([.. Enumerable.Repeat(PasswordCheckOutcome.Failed, Limit), PasswordCheckOutcome.Throttled, PasswordCheckOutcome.Throttled],
            outcomes);
        Assert.Equal(Limit, (await _portals[0].FindUserAsync(customer.UserId)).AccessFailedCount); // the throttled ones counted nothing

        // Another address is not held up, on either instance.
        await using var other = _portals[1].Services.CreateAsyncScope();
        Assert.Equal(PasswordCheckOutcome.Succeeded, (await other.ServiceProvider.GetRequiredService<PasswordSignIn>()
            .CheckAsync(customer.LoginId, customer.Password, "203.0.113.41", Cancel)).Outcome);
    }

    [Fact]
    public async Task One_address_gets_the_token_api_calls_of_one_instance_from_two_and_a_429_says_when_to_retry()
    {
        var clients = _portals.Select(p => p.CreateClient()).ToList();
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < Limit + 2; i++)
            answers.Add(await clients[i % 2].GetAsync("/api/token/download?code=nothing", Cancel));

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.NotFound, Limit), HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests],
            answers.Select(a => a.StatusCode));
        var refused = answers[Limit];
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        Assert.Equal("しばらくしてから再度お試しください。", await ErrorResponseAssert.JsonMessageAsync(refused));
        foreach (var client in clients) client.Dispose();
    }
}
