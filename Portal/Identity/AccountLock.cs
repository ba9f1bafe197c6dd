using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Mail;

namespace Portal.Identity;

public enum PasswordVerdict { Right, Wrong, Locked }

/// <param name="Verdict">Right; wrong (counted); or locked, now or by this very failure.</param>
/// <param name="WasWrong">The password was checked and wrong (also when that failure set the lock).</param>
public sealed record PasswordCheck(PasswordVerdict Verdict, DateTimeOffset? LockedUntil = null, bool WasWrong = false);

/// <summary>
/// One lock for every wrong password or code, wherever it is given (ログイン画面, 利用開始, 利用解除): the failure is
/// counted, and the failure that sets the lock is audited and mailed to the customer.
/// </summary>
public sealed class AccountLock(IDbContextFactory<PortalDbContext> dbs, SecurityNotices notices, SecurityLog security,
    TimeProvider clock)
{
    /// <summary>
    /// The login password, checked once wherever it is given (ログイン画面, 利用解除 from 申請済): refused unchecked while
    /// locked, and a wrong one counted toward the lock. A right one clears nothing here: a 利用中 customer's failures
    /// stay until the code is given.
    /// </summary>
    public async Task<PasswordCheck> CheckPasswordAsync(UserManager<PortalUser> users, PortalUser user, string password,
        CancellationToken cancellationToken)
    {
        if (await users.IsLockedOutAsync(user)) return new(PasswordVerdict.Locked, await users.GetLockoutEndDateAsync(user));
        if (await users.CheckPasswordAsync(user, password)) return new(PasswordVerdict.Right);
        return await CountFailureAsync(users, user, cancellationToken) is { } lockedUntil
            ? new(PasswordVerdict.Locked, lockedUntil, WasWrong: true)
            : new(PasswordVerdict.Wrong, WasWrong: true);
    }

    /// <returns>The end of the lock when this failure set it; null while the customer may still try.</returns>
    public async Task<DateTimeOffset?> CountFailureAsync(UserManager<PortalUser> users, PortalUser user, CancellationToken cancellationToken)
    {
        await users.AccessFailedAsync(user);
        if (!await users.IsLockedOutAsync(user)) return null;
        var now = clock.GetUtcNow();
        await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
        {
            db.AuditEntries.Add(AuditEntry.Record(now, user.Id, AuditActors.System, AuditEvents.Locked, AuditEvents.Succeeded, null));
            await db.SaveChangesAsync(cancellationToken);
        }
        security.AccountLocked(user.Id);
        await notices.LockedAsync(user.Id, now, cancellationToken);
        return await users.GetLockoutEndDateAsync(user);
    }
}
