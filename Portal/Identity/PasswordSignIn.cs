using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Otp;

namespace Portal.Identity;

/// <remarks><see cref="Stopped"/>: 利用停止 is in force (docs/decisions/0015); only staff lift it.</remarks>
public enum PasswordCheckOutcome { Succeeded, Failed, LockedOut, OtpRequired, OtpExpired, OtpMalformed, Throttled, Busy, Unavailable, Stopped }

/// <param name="Ticket">On success, the secret the browser posts to /account/signin.</param>
/// <param name="LockedUntil">When locked out, the end of the lock.</param>
/// <param name="Pending">When a code is still needed: who passed the password step. Kept in the circuit only.</param>
public sealed record PasswordCheckResult(PasswordCheckOutcome Outcome, string? Ticket = null,
    DateTimeOffset? LockedUntil = null, PendingOtpSignIn? Pending = null);

/// <summary>A customer who gave the right password and now owes a ワンタイムパスワード, for a few minutes.</summary>
public sealed record PendingOtpSignIn(string UserId, DateTimeOffset ExpiresAt);

/// <summary>
/// The ログイン画面's two steps, run in the interactive circuit. Step 1 checks ID and password once, counting failures
/// toward the lock. A 利用中 customer then owes step 2, the code from the token app, proven by <see cref="OtpProof"/>
/// like every other code. Only after the last step is a single-use sign-in ticket issued (docs/decisions/0002).
/// An unknown ID is answered exactly as a real one, lock included; attempts are throttled per source address; a
/// database outage is answered with "try again", never as a wrong password.
/// </summary>
public sealed class PasswordSignIn(
    IServiceScopeFactory scopes,
    SignInTickets tickets,
    OtpProof proof,
    IDbContextFactory<PortalDbContext> dbs,
    AccountLock accountLock,
    UnknownLoginLock unknownLogins,
    SignInThrottle throttle,
    SecurityLog security,
    TimeProvider clock,
    ILogger<PasswordSignIn> logger)
{
    public static readonly TimeSpan OtpStepLifetime = TimeSpan.FromMinutes(5);

    private static readonly PasswordCheckResult Unavailable = new(PasswordCheckOutcome.Unavailable);
    private static readonly PasswordCheckResult Throttled = new(PasswordCheckOutcome.Throttled);
    private static readonly PasswordCheckResult Busy = new(PasswordCheckOutcome.Busy);

    public Task<PasswordCheckResult> CheckAsync(string loginId, string password, string? sourceAddress,
        CancellationToken cancellationToken = default)
    {
        var attempt = new Attempt(SignInStep.Password, sourceAddress);
        return RecordAsync(attempt, async () =>
        {
            // The hash is the expensive part: a few at a time, so a flood of attempts waits here (or is turned away)
            // while signed-in customers' circuits keep their share of the CPU.
            using var slot = await throttle.EnterPasswordCheckAsync(cancellationToken);
            return slot.IsAcquired ? await CheckPasswordAsync(loginId, password, attempt, cancellationToken) : Busy;
        });
    }

    /// <summary>Step 2 (ワンタイムパスワード入力): a current, unused code from the customer's token.</summary>
    public Task<PasswordCheckResult> CheckOtpAsync(PendingOtpSignIn pending, string? code, string? sourceAddress,
        CancellationToken cancellationToken = default) =>
        RecordAsync(new Attempt(SignInStep.Code, sourceAddress) { UserId = pending.UserId },
            () => CheckCodeAsync(pending, code, sourceAddress, cancellationToken));

    /// <summary>
    /// Throttles, answers an outage with "try again", and logs and counts the step's outcome: every attempt once, in
    /// this one place.
    /// </summary>
    private async Task<PasswordCheckResult> RecordAsync(Attempt attempt, Func<Task<PasswordCheckResult>> check)
    {
        var result = await ThrottledAsync(attempt, check).OrUnavailableAsync(Unavailable, logger);
        security.SignIn(attempt.Step, result.Outcome, attempt.UserId, attempt.SourceAddress);
        return result;
    }

    private async Task<PasswordCheckResult> ThrottledAsync(Attempt attempt, Func<Task<PasswordCheckResult>> check) =>
        await throttle.TryAttemptAsync(attempt.SourceAddress) ? await check() : Throttled;

    /// <summary>One attempt, for its log line: the user is known once the login ID is found (never for an unknown ID).</summary>
    private sealed class Attempt(SignInStep step, string? sourceAddress)
    {
        public SignInStep Step => step;
        public string? SourceAddress => sourceAddress;
        public string? UserId { get; set; }
    }

    private async Task<PasswordCheckResult> CheckPasswordAsync(string loginId, string password, Attempt attempt,
        CancellationToken cancellationToken)
    {
        // A fresh scope per attempt: a circuit lives for hours, and a long-lived UserManager would keep serving
        // the user row (failure count, lock) it loaded first.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();

        // The user row as UserManager.FindByNameAsync reads it, tracked by the same context as the store's (the failure
        // count is written through it), whether the customer is 利用中, and whether 利用停止 is in force: one round trip.
        var normalized = users.NormalizeName(loginId);
        var found = await db.Users.Where(u => u.NormalizedUserName == normalized)
            .Select(u => new { User = u, OtpInUse = db.TokensInUse.Any(t => t.UserId == u.Id), Stopped = db.StopsInForce.Any(s => s.UserId == u.Id) })
            .FirstOrDefaultAsync(cancellationToken);
        if (found is null) return await CheckUnknownAsync(users, normalized, password, cancellationToken);
        var user = found.User;
        attempt.UserId = user.Id;

        // The same steps as SignInManager.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true), which
        // for a two-factor account also reads the "remember this browser" cookie — an HttpContext a circuit lacks.
        if (!await signIn.CanSignInAsync(user)) return new(PasswordCheckOutcome.Failed);
        // A customer in use still owes the code: a right password leaves the failure count until it is given.
        var check = await accountLock.CheckPasswordAsync(users, user, password, clearsFailures: !found.OtpInUse, cancellationToken);
        if (check.WasWrong) await AuditWrongPasswordAsync(user.Id, attempt.SourceAddress, cancellationToken);
        if (check.Verdict != PasswordVerdict.Right) return LockOrFail(check.LockedUntil);
        // Said only to whoever knows the password: the customer (or the thief the stop is for) learns to call the help desk.
        if (found.Stopped) return new(PasswordCheckOutcome.Stopped);

        if (found.OtpInUse)
            return new(PasswordCheckOutcome.OtpRequired, Pending: new PendingOtpSignIn(user.Id, clock.GetUtcNow() + OtpStepLifetime));

        return new(PasswordCheckOutcome.Succeeded, Ticket: await tickets.IssueAsync(user.Id, SignInFactors.Password, cancellationToken));
    }

    /// <summary>The same answers, in the same order, as for a real ID; the hash is spent so time tells nothing either.</summary>
    private async Task<PasswordCheckResult> CheckUnknownAsync(UserManager<PortalUser> users, string normalized, string password,
        CancellationToken cancellationToken)
    {
        if (await unknownLogins.LockedUntilAsync(normalized, cancellationToken) is { } lockedUntil)
            return new(PasswordCheckOutcome.LockedOut, LockedUntil: lockedUntil);
        users.PasswordHasher.VerifyHashedPassword(DummyUser, DummyHash(users.PasswordHasher), password);
        return LockOrFail(await unknownLogins.CountFailureAsync(normalized, cancellationToken));
    }

    private async Task<PasswordCheckResult> CheckCodeAsync(PendingOtpSignIn pending, string? code, string? sourceAddress,
        CancellationToken cancellationToken)
    {
        if (clock.GetUtcNow() >= pending.ExpiresAt) return new(PasswordCheckOutcome.OtpExpired);
        if (OtpCode.Normalize(code) is not { } normalized) return new(PasswordCheckOutcome.OtpMalformed);
        // The token is looked up again: it may have been cancelled since the password step.
        if (await proof.FindTokenInUseAsync(pending.UserId, cancellationToken) is not { } token) return new(PasswordCheckOutcome.OtpExpired);

        var check = await proof.ProveAsync(token, normalized, OtpPurpose.SignIn, sourceAddress, cancellationToken);
        switch (check.Verdict)
        {
            case CodeVerdict.Accepted:
                await AuditAsync(pending.UserId, AuditEvents.SignInOtp, AuditEvents.Succeeded, sourceAddress,
                    AuditDetails.StepOffset(check.StepOffset), cancellationToken);
                return new(PasswordCheckOutcome.Succeeded,
                    Ticket: await tickets.IssueAsync(pending.UserId, SignInFactors.PasswordAndOtp, cancellationToken));
            case CodeVerdict.LockedOut:
                return new(PasswordCheckOutcome.LockedOut, LockedUntil: check.LockedUntil);
            default:
                return new(PasswordCheckOutcome.Failed);
        }
    }

    private static PasswordCheckResult LockOrFail(DateTimeOffset? lockedUntil) => lockedUntil is { } until
        ? new(PasswordCheckOutcome.LockedOut, LockedUntil: until)
        : new(PasswordCheckOutcome.Failed);

    /// <summary>Staff see a wrong password in the customer's trail, beside wrong codes (only for a real ID).</summary>
    private Task AuditWrongPasswordAsync(string userId, string? sourceAddress, CancellationToken cancellationToken) =>
        AuditAsync(userId, AuditEvents.SignInPassword, AuditEvents.Failed, sourceAddress, AuditDetails.WrongPassword, cancellationToken);

    private async Task AuditAsync(string userId, string eventName, string outcome, string? sourceAddress, string? detail,
        CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(AuditEntry.Record(clock.GetUtcNow(), userId, AuditActors.Customer, eventName, outcome, sourceAddress, detail));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static readonly PortalUser DummyUser = new() { UserName = "dummy" };
    private static string? _dummyHash;

    private static string DummyHash(IPasswordHasher<PortalUser> hasher) =>
        _dummyHash ??= hasher.HashPassword(DummyUser, Guid.NewGuid().ToString());
}

/// <summary>What a sign-in ticket says was checked.</summary>
public static class SignInFactors
{
    public const string Password = "pwd";
    public const string PasswordAndOtp = "pwd otp";
}
