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
/// typed ID is stored, never the text. As for a real ID, one statement counts the failure and decides the lock
/// (docs/decisions/0014): a burst of failures at once, on any number of instances, locks at exactly the limit.
/// </summary>
public sealed class UnknownLoginLock(IDbContextFactory<PortalDbContext> dbs, IOptions<IdentityOptions> identity, SecurityLog security,
    TimeProvider clock)
{
    /// <summary>Rows untouched for this long are forgotten, so sprayed IDs do not pile up.</summary>
    private static readonly TimeSpan Retention = TimeSpan.FromDays(1);

    /// <summary>How often forgotten rows are cleared away (as the sign-in tickets are).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private long _nextSweepTicks;

    public async Task<DateTimeOffset?> LockedUntilAsync(string normalizedLoginId, CancellationToken cancellationToken)
    {
        var key = Key(normalizedLoginId);
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await LockedUntilAsync(db, key, now, cancellationToken);
    }

    /// <summary>
    /// Counts a failure in one INSERT … ON CONFLICT DO UPDATE … RETURNING that adds one, sets the lock and clears the
    /// count at the limit, only while the ID is unlocked; a failure that finds it locked counts nothing.
    /// </summary>
    /// <returns>The end of the lock when this failure set it or found it set, as <see cref="AccountLock"/> answers for a real ID.</returns>
    public async Task<DateTimeOffset?> CountFailureAsync(string normalizedLoginId, CancellationToken cancellationToken)
    {
        var key = Key(normalizedLoginId);
        var now = clock.GetUtcNow();
        var lockout = identity.Value.Lockout;
        var max = lockout.MaxFailedAccessAttempts;
        // Whole milliseconds, which both providers store exactly: the failure that sets the lock answers with the same end
        // as those that find it set.
        var until = (now + lockout.DefaultLockoutTimeSpan).WholeMilliseconds();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await SweepWhenDueAsync(db, now, cancellationToken);
        var at = db.ProviderValue<UnknownLoginAttempt>(nameof(UnknownLoginAttempt.LastFailureAt), now);
        var end = db.ProviderValue<UnknownLoginAttempt>(nameof(UnknownLoginAttempt.LockoutEnd), until);
        // "FailedCount" is 0 afterwards only when this statement set the lock: otherwise it is at least 1.
        var counted = await db.Database.SqlQuery<int>($"""
            INSERT INTO "UnknownLoginAttempts" ("KeyHash", "FailedCount", "LockoutEnd", "LastFailureAt")
            VALUES ({key}, CASE WHEN 1 >= {max} THEN 0 ELSE 1 END, CASE WHEN 1 >= {max} THEN {end} ELSE NULL END, {at})
            ON CONFLICT ("KeyHash") DO UPDATE SET
                "FailedCount" = CASE WHEN "UnknownLoginAttempts"."FailedCount" + 1 >= {max}
                    THEN 0 ELSE "UnknownLoginAttempts"."FailedCount" + 1 END,
                "LockoutEnd" = CASE WHEN "UnknownLoginAttempts"."FailedCount" + 1 >= {max}
                    THEN {end} ELSE "UnknownLoginAttempts"."LockoutEnd" END,
                "LastFailureAt" = {at}
            WHERE "UnknownLoginAttempts"."LockoutEnd" IS NULL OR "UnknownLoginAttempts"."LockoutEnd" <= {at}
            RETURNING "FailedCount" AS "Value"
            """).ToListAsync(cancellationToken);
        switch (counted)
        {
            case [0]:
                security.AccountLocked(userId: null);
                return until;
            case [_]:
                return null;
            default:
                return await LockedUntilAsync(db, key, now, cancellationToken) ?? now;
        }
    }

    private static async Task<DateTimeOffset?> LockedUntilAsync(PortalDbContext db, string key, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var end = await db.UnknownLoginAttempts.Where(a => a.KeyHash == key).Select(a => a.LockoutEnd).SingleOrDefaultAsync(cancellationToken);
        return end > now ? end : null;
    }

    /// <summary>At most once per <see cref="SweepInterval"/> in this instance (another instance sweeps as well: harmless).</summary>
    private async Task SweepWhenDueAsync(PortalDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, due) != due) return;
        var stale = now - Retention;
        await db.UnknownLoginAttempts.Where(a => a.LastFailureAt < stale).ExecuteDeleteAsync(cancellationToken);
    }

    private static string Key(string normalizedLoginId) => Secrets.Hash(normalizedLoginId);
}
