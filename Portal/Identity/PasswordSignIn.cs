using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Mail;
using Portal.Otp;

namespace Portal.Identity;

public enum PasswordCheckOutcome { Succeeded, Failed, LockedOut, OtpRequired, OtpExpired, OtpMalformed }

/// <param name="Ticket">On success, the secret the browser posts to /account/signin.</param>
/// <param name="LockedUntil">When locked out, the end of the lock.</param>
/// <param name="Pending">When a code is still needed: who passed the password step. Kept in the circuit only.</param>
public sealed record PasswordCheckResult(PasswordCheckOutcome Outcome, string? Ticket = null,
    DateTimeOffset? LockedUntil = null, PendingOtpSignIn? Pending = null);

/// <summary>A customer who gave the right password and now owes a ワンタイムパスワード, for a few minutes.</summary>
public sealed record PendingOtpSignIn(string UserId, DateTimeOffset ExpiresAt);

/// <summary>
/// The ログイン画面's two steps, run in the interactive circuit. Step 1 checks ID and password once, counting failures
/// toward the lock. A 利用中 customer then owes step 2, the code from the token app, whose failures count toward the
/// same lock. Only after the last step is a single-use sign-in ticket issued (docs/decisions/0002).
/// </summary>
public sealed class PasswordSignIn(
    IServiceScopeFactory scopes,
    SignInTickets tickets,
    TotpTwoFactorProvider otp,
    IDbContextFactory<PortalDbContext> dbs,
    OtpMails mails,
    CustomerMail customerMail,
    AccountLock accountLock,
    TimeProvider clock)
{
    public static readonly TimeSpan OtpStepLifetime = TimeSpan.FromMinutes(5);

    public async Task<PasswordCheckResult> CheckAsync(string loginId, string password, CancellationToken cancellationToken = default)
    {
        // A fresh scope per attempt: a circuit lives for hours, and a long-lived UserManager would keep serving
        // the user row (failure count, lock) it loaded first.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>();

        var user = await users.FindByNameAsync(loginId);
        if (user is null)
        {
            // Spend the same hashing time as for a real account, so response time does not reveal which IDs exist.
            users.PasswordHasher.VerifyHashedPassword(DummyUser, DummyHash(users.PasswordHasher), password);
            return new(PasswordCheckOutcome.Failed);
        }

        // The same steps as SignInManager.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true), which
        // for a two-factor account also reads the "remember this browser" cookie — an HttpContext a circuit lacks.
        if (!await signIn.CanSignInAsync(user)) return new(PasswordCheckOutcome.Failed);
        if (await users.IsLockedOutAsync(user))
            return new(PasswordCheckOutcome.LockedOut, LockedUntil: await users.GetLockoutEndDateAsync(user));
        if (!await users.CheckPasswordAsync(user, password))
            return await CountFailureAsync(users, user, cancellationToken);

        // A customer in use still owes the code: the failure count stays until it is given.
        if (await otp.IsInUseAsync(user.Id, cancellationToken))
            return new(PasswordCheckOutcome.OtpRequired, Pending: new PendingOtpSignIn(user.Id, clock.GetUtcNow() + OtpStepLifetime));

        await users.ResetAccessFailedCountAsync(user);
        return new(PasswordCheckOutcome.Succeeded, Ticket: await tickets.IssueAsync(user.Id, SignInFactors.Password, cancellationToken));
    }

    /// <summary>Step 2 (ワンタイムパスワード入力): a current, unused code from the customer's token.</summary>
    public async Task<PasswordCheckResult> CheckOtpAsync(PendingOtpSignIn pending, string? code, string? sourceAddress,
        CancellationToken cancellationToken = default)
    {
        if (clock.GetUtcNow() >= pending.ExpiresAt) return new(PasswordCheckOutcome.OtpExpired);
        if (OtpCode.Normalize(code) is not { } normalized) return new(PasswordCheckOutcome.OtpMalformed);

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(pending.UserId);
        if (user is null) return new(PasswordCheckOutcome.OtpExpired);
        if (await users.IsLockedOutAsync(user))
            return new(PasswordCheckOutcome.LockedOut, LockedUntil: await users.GetLockoutEndDateAsync(user));

        var check = await otp.CheckAsync(user.Id, normalized, cancellationToken);
        await AuditAsync(user.Id, check, sourceAddress, cancellationToken);
        if (check.Verdict == CodeVerdict.Accepted)
        {
            await users.ResetAccessFailedCountAsync(user);
            return new(PasswordCheckOutcome.Succeeded, Ticket: await tickets.IssueAsync(user.Id, SignInFactors.PasswordAndOtp, cancellationToken));
        }

        if (check.Verdict == CodeVerdict.Replayed)
        {
            var at = clock.GetUtcNow();
            await customerMail.TrySendAsync(user.Id, address => mails.ReplayRefused(address, at), cancellationToken);
        }
        return await CountFailureAsync(users, user, cancellationToken);
    }

    /// <summary>A wrong password or code: one more toward the lock.</summary>
    private async Task<PasswordCheckResult> CountFailureAsync(UserManager<PortalUser> users, PortalUser user, CancellationToken cancellationToken) =>
        await accountLock.CountFailureAsync(users, user, cancellationToken) is { } lockedUntil
            ? new(PasswordCheckOutcome.LockedOut, LockedUntil: lockedUntil)
            : new(PasswordCheckOutcome.Failed);

    private async Task AuditAsync(string userId, CodeCheck check, string? sourceAddress, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(AuditEntry.Record(clock.GetUtcNow(), userId, AuditActors.Customer,
            check.Verdict == CodeVerdict.Replayed ? AuditEvents.ReplayRefused : AuditEvents.SignInOtp,
            check.Verdict == CodeVerdict.Accepted ? AuditEvents.Succeeded : AuditEvents.Failed, sourceAddress,
            check.Verdict == CodeVerdict.Accepted ? AuditDetails.StepOffset(check.StepOffset) : null));
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
