using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Mail;

namespace Portal.Identity;

public enum PasswordVerdict { Right, Wrong, Locked }

/// <param name="Verdict">Right; wrong (counted); or locked, now or by this very failure.</param>
/// <param name="LockedUntil">When locked: the end of the lock.</param>
/// <param name="WasWrong">The password was checked, wrong, and counted (also when that failure set the lock).</param>
public sealed record PasswordCheck(PasswordVerdict Verdict, DateTimeOffset? LockedUntil = null, bool WasWrong = false);

/// <summary>What counting one failure did.</summary>
/// <param name="Counted">False when the ID was already locked: nothing was counted, and the answer is "locked".</param>
/// <param name="LockedUntil">When locked, by this failure or before it: the end of the lock.</param>
/// <param name="SetLock">This failure was the one that reached the limit (exactly one failure per lock).</param>
public sealed record FailureCount(bool Counted, DateTimeOffset? LockedUntil, bool SetLock)
{
    public bool Locked => LockedUntil is not null;
}

/// <summary>
/// One lock for every wrong password or code, wherever it is given (ログイン画面, 利用開始, 利用解除, 取引認証). A failure is
/// counted, and a right answer accepted, each by one statement that also decides on the lock, so any number of
/// answers at once, on any number of instances, lock at exactly SignIn:MaxFailedAttempts and nothing passes after
/// (docs/decisions/0014). The failure that sets the lock is audited and mailed to the customer, once.
/// </summary>
public sealed class AccountLock(IDbContextFactory<PortalDbContext> dbs, IOptions<IdentityOptions> identity, SecurityNotices notices,
    SecurityLog security, TimeProvider clock)
{
    /// <summary>
    /// The login password, checked once wherever it is given (ログイン画面, 利用解除 from 申請済): refused unchecked while
    /// locked, a wrong one counted toward the lock, and a right one accepted only if the ID is still unlocked once the
    /// hash is done. <paramref name="clearsFailures"/>: a right password clears the count; not for a 利用中 customer,
    /// whose failures stay until the code is given.
    /// </summary>
    public async Task<PasswordCheck> CheckPasswordAsync(UserManager<PortalUser> users, PortalUser user, string password,
        bool clearsFailures, CancellationToken cancellationToken)
    {
        if (await users.IsLockedOutAsync(user)) return new(PasswordVerdict.Locked, await users.GetLockoutEndDateAsync(user));
        if (await users.CheckPasswordAsync(user, password))
            return await AcceptAsync(user.Id, clearsFailures, cancellationToken) is { } lockedUntil
                ? new(PasswordVerdict.Locked, lockedUntil)
                : new(PasswordVerdict.Right);
        var failure = await CountFailureAsync(user.Id, cancellationToken);
        return failure.Locked
            ? new(PasswordVerdict.Locked, failure.LockedUntil, WasWrong: failure.Counted)
            : new(PasswordVerdict.Wrong, WasWrong: failure.Counted);
    }

    /// <summary>
    /// Accepts a right password or code: one statement that finds the ID unlocked and, when <paramref name="clearsFailures"/>,
    /// clears its count. Nothing is written through UserManager after it, so no stale copy of the row can undo a count.
    /// </summary>
    /// <returns>Null when accepted; the end of the lock when the ID was locked meanwhile (the answer is then "locked").</returns>
    public async Task<DateTimeOffset?> AcceptAsync(string userId, bool clearsFailures, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var at = db.ProviderValue<PortalUser>(nameof(PortalUser.LockoutEnd), now);
        var accepted = clearsFailures
            ? await db.Database.ExecuteSqlAsync($"""
                -- AccountLock.Accept
                UPDATE "AspNetUsers" SET
                    "ConcurrencyStamp" = CASE WHEN "AccessFailedCount" = 0 THEN "ConcurrencyStamp" ELSE {Guid.NewGuid().ToString()} END,
                    "AccessFailedCount" = 0
                WHERE "Id" = {userId} AND ("LockoutEnd" IS NULL OR "LockoutEnd" <= {at})
                """, cancellationToken) == 1
            : (await db.Database.SqlQuery<int>($"""
                -- AccountLock.Accept
                SELECT 1 AS "Value" FROM "AspNetUsers" WHERE "Id" = {userId} AND ("LockoutEnd" IS NULL OR "LockoutEnd" <= {at})
                """).ToListAsync(cancellationToken)).Count == 1;
        return accepted ? null : await LockedUntilAsync(db, userId, now, cancellationToken) ?? now;
    }

    /// <summary>The comment that opens the statement accepting a right answer, for tests that hold it back.</summary>
    public const string AcceptTag = "AccountLock.Accept";

    /// <summary>
    /// Counts a wrong password or code in one statement (DESIGN.md: "count a failure in the statement that decides the
    /// lock"): it adds one, sets the lock and clears the count when the count reaches the limit (Identity's own rule),
    /// changes the concurrency stamp, and answers with the new count — but only while the ID is unlocked. A failure that
    /// finds it locked counts nothing and is answered "locked". The failure that set the lock is audited and mailed.
    /// </summary>
    public async Task<FailureCount> CountFailureAsync(string userId, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var lockout = identity.Value.Lockout;
        // Whole milliseconds, which both providers store exactly: the failure that sets the lock answers with the same end
        // as those that find it set.
        var until = (now + lockout.DefaultLockoutTimeSpan).WholeMilliseconds();
        FailureCount failure;
        await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
        {
            var at = db.ProviderValue<PortalUser>(nameof(PortalUser.LockoutEnd), now);
            var end = db.ProviderValue<PortalUser>(nameof(PortalUser.LockoutEnd), until);
            // "AccessFailedCount" is 0 afterwards only when this statement set the lock: otherwise it is at least 1.
            var counted = await db.Database.SqlQuery<int>($"""
                UPDATE "AspNetUsers" SET
                    "AccessFailedCount" = CASE WHEN "LockoutEnabled" AND "AccessFailedCount" + 1 >= {lockout.MaxFailedAccessAttempts}
                        THEN 0 ELSE "AccessFailedCount" + 1 END,
                    "LockoutEnd" = CASE WHEN "LockoutEnabled" AND "AccessFailedCount" + 1 >= {lockout.MaxFailedAccessAttempts}
                        THEN {end} ELSE "LockoutEnd" END,
                    "ConcurrencyStamp" = {Guid.NewGuid().ToString()}
                WHERE "Id" = {userId} AND ("LockoutEnd" IS NULL OR "LockoutEnd" <= {at})
                RETURNING "AccessFailedCount" AS "Value"
                """).ToListAsync(cancellationToken);
            failure = counted switch
            {
                [0] => new(Counted: true, until, SetLock: true),
                [_] => new(Counted: true, null, SetLock: false),
                _ => new(Counted: false, await LockedUntilAsync(db, userId, now, cancellationToken) ?? now, SetLock: false),
            };
            if (failure.SetLock)
            {
                db.AuditEntries.Add(AuditEntry.Record(now, userId, AuditActors.System, AuditEvents.Locked, AuditEvents.Succeeded, null));
                await db.SaveChangesAsync(cancellationToken);
            }
        }
        if (failure.SetLock)
        {
            security.AccountLocked(userId);
            await notices.LockedAsync(userId, now, cancellationToken);
        }
        return failure;
    }

    /// <summary>
    /// The end of the lock that refused an answer; null only if it ran out (or the customer went) since, when the caller
    /// answers "locked" all the same: the refusal came from a lock.
    /// </summary>
    private static async Task<DateTimeOffset?> LockedUntilAsync(PortalDbContext db, string userId, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var end = await db.Users.Where(u => u.Id == userId).Select(u => u.LockoutEnd).SingleOrDefaultAsync(cancellationToken);
        return end > now ? end : null;
    }
}
