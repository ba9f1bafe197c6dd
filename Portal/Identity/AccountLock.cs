using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Mail;

namespace Portal.Identity;

/// <summary>
/// One lock for every wrong password or code, wherever it is given (ログイン画面, 利用開始, 利用解除): the failure is
/// counted, and the failure that sets the lock is audited and mailed to the customer.
/// </summary>
public sealed class AccountLock(IDbContextFactory<PortalDbContext> dbs, CustomerMail customerMail, OtpMails mails, SecurityLog security,
    TimeProvider clock)
{
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
        await customerMail.TrySendAsync(user.Id, address => mails.Locked(address, now), cancellationToken);
        return await users.GetLockoutEndDateAsync(user);
    }
}
