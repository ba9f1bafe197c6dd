using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Domain;

namespace Portal.Identity;

/// <summary>Failures toward the lock of a login ID that belongs to nobody, keyed by a hash of what was typed.</summary>
public sealed class UnknownLoginAttempt
{
    public required string KeyHash { get; set; }
    public int FailedCount { get; set; }
    public DateTimeOffset? LockoutEnd { get; set; }
    public DateTimeOffset LastFailureAt { get; set; }
}

/// <summary>
/// An unknown login ID is counted and locked exactly like a real one (Identity's rule: the failure that reaches the
/// limit sets the lock and clears the count), so the lock message never tells which IDs exist. Only a hash of the
/// typed ID is stored, never the text.
/// </summary>
public sealed class UnknownLoginLock(IDbContextFactory<PortalDbContext> dbs, IOptions<IdentityOptions> identity, SecurityLog security,
    TimeProvider clock)
{
    /// <summary>Rows untouched for this long are forgotten, so sprayed IDs do not pile up.</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    public async Task<DateTimeOffset?> LockedUntilAsync(string normalizedLoginId, CancellationToken cancellationToken)
    {
        var key = Key(normalizedLoginId);
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var end = await db.UnknownLoginAttempts.Where(a => a.KeyHash == key).Select(a => a.LockoutEnd).SingleOrDefaultAsync(cancellationToken);
        return end > now ? end : null;
    }

    /// <returns>The end of the lock when this failure set it, as <see cref="AccountLock"/> answers for a real ID.</returns>
    public async Task<DateTimeOffset?> CountFailureAsync(string normalizedLoginId, CancellationToken cancellationToken)
    {
        var key = Key(normalizedLoginId);
        var now = clock.GetUtcNow();
        var lockout = identity.Value.Lockout;
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var attempt = await db.UnknownLoginAttempts.SingleOrDefaultAsync(a => a.KeyHash == key, cancellationToken);
        if (attempt is null)
        {
            await db.UnknownLoginAttempts.Where(a => a.LastFailureAt < now - Retention).ExecuteDeleteAsync(cancellationToken);
            attempt = new UnknownLoginAttempt { KeyHash = key };
            db.UnknownLoginAttempts.Add(attempt);
        }
        attempt.LastFailureAt = now;
        var setsLock = ++attempt.FailedCount >= lockout.MaxFailedAccessAttempts;
        if (setsLock)
        {
            attempt.FailedCount = 0;
            attempt.LockoutEnd = now + lockout.DefaultLockoutTimeSpan;
        }
        // Two simultaneous first failures: one row wins and the other step is lost, as Identity's own count can lose one.
        if (await db.SaveAsync(cancellationToken) != SaveOutcome.Saved || !setsLock) return null;
        security.AccountLocked(userId: null);
        return attempt.LockoutEnd;
    }

    private static string Key(string normalizedLoginId) => Secrets.Hash(normalizedLoginId);
}
