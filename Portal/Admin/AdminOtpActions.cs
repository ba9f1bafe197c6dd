using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Mail;
using Portal.Otp;

namespace Portal.Admin;

public enum AdminActionOutcome { Done, ReasonInvalid, NoSuchCustomer, OwnAccount, StateChanged, MailFailed }

/// <summary>Who acts: the admin's user ID and login ID (the audit trail's actor).</summary>
public sealed record AdminActor(string UserId, string LoginId, string? SourceAddress);

/// <summary>
/// Bank staff acting on a customer's OTP: unlock, the forced cancel of a lost or changed phone, the re-send of the
/// download mail, and 利用停止の解除. Each action needs
/// a reason, is refused on the admin's own account, applies only to the state the admin saw, and is audited with the
/// admin as actor.
/// </summary>
public sealed class AdminOtpActions(
    IDbContextFactory<PortalDbContext> dbs,
    PortalSessions sessions,
    SecurityNotices notices,
    ServiceStops stops,
    OtpEnrollment enrollment,
    SecurityLog security,
    TimeProvider clock)
{
    public const string UnlockEvent = AuditEvents.AdminUnlock;
    public const string ForceCancelEvent = AuditEvents.AdminForceCancel;
    public const string ResendEvent = AuditEvents.AdminResendMail;

    /// <summary>Lifts the lock of a customer who is locked now.</summary>
    public async Task<AdminActionOutcome> UnlockAsync(AdminActor admin, string customerId, AdminReasonCode? reason, string? note,
        CancellationToken cancellationToken = default)
    {
        if (AdminReason.Check(reason, note) != AdminReasonError.None) return AdminActionOutcome.ReasonInvalid;
        if (customerId == admin.UserId) return AdminActionOutcome.OwnAccount;

        var now = clock.GetUtcNow();
        // One conditional statement, with the clock the lock was set by (AccountLock, decision 0014): another admin may
        // have unlocked it meanwhile, or the lock ran out, and then there is nothing to apply twice.
        await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Users.AnyAsync(u => u.Id == customerId, cancellationToken)) return AdminActionOutcome.NoSuchCustomer;
            var unlocked = await db.Users.Where(u => u.Id == customerId && u.LockoutEnd != null && u.LockoutEnd > now)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null).SetProperty(u => u.AccessFailedCount, 0)
                    .SetProperty(u => u.ConcurrencyStamp, Guid.NewGuid().ToString()), cancellationToken);
            if (unlocked != 1) return AdminActionOutcome.StateChanged;
        }
        await AuditAsync(admin, customerId, UnlockEvent, reason!.Value, note, now, cancellationToken);
        security.AdminUnlock(admin.UserId, customerId, reason.Value, admin.SourceAddress);
        await notices.UnlockedAsync(customerId, now, cancellationToken);
        return AdminActionOutcome.Done;
    }

    /// <summary>
    /// Forced cancel for a lost or changed phone: any status to 未登録, the secret destroyed, every session of the customer
    /// ended, the customer told by mail. <paramref name="seenVersion"/> is the registration version the admin looked at.
    /// </summary>
    public async Task<AdminActionOutcome> ForceCancelAsync(AdminActor admin, string customerId, int seenVersion,
        AdminReasonCode? reason, string? note, CancellationToken cancellationToken = default)
    {
        if (AdminReason.Check(reason, note) != AdminReasonError.None) return AdminActionOutcome.ReasonInvalid;
        if (customerId == admin.UserId) return AdminActionOutcome.OwnAccount;

        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        if (!await db.Users.AnyAsync(u => u.Id == customerId, cancellationToken)) return AdminActionOutcome.NoSuchCustomer;
        var registration = await db.OtpRegistrations.SingleOrDefaultAsync(r => r.UserId == customerId, cancellationToken);
        if (registration is null || registration.Status == RegistrationStatus.Unregistered || registration.Version != seenVersion)
            return AdminActionOutcome.StateChanged;

        var now = clock.GetUtcNow();
        var issue = registration.CurrentIssueId is { } issueId
            ? await db.TokenIssues.SingleOrDefaultAsync(i => i.Id == issueId, cancellationToken)
            : null;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        registration.ForceCancel(now);
        issue?.Void(VoidReasons.ForcedCancel, now);
        db.AuditEntries.Add(Entry(admin, customerId, ForceCancelEvent, reason!.Value, note, now));
        // A second admin (or the customer) was first.
        if (await db.SaveAsync(cancellationToken) != SaveOutcome.Saved) return AdminActionOutcome.StateChanged;
        await db.Users.Where(u => u.Id == customerId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.TwoFactorEnabled, false), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        security.AdminForceCancel(admin.UserId, customerId, reason.Value, admin.SourceAddress);

        await sessions.EndOthersAsync(customerId, keep: null, "admin-force-cancel", cancellationToken);
        await notices.ForcedCancelAsync(customerId, now, cancellationToken);
        return AdminActionOutcome.Done;
    }

    /// <summary>
    /// Re-sends the download mail of a 申請済 customer's issue in force, with a new URL (the old one stops working).
    /// <paramref name="seenIssueVersion"/> is the issue version the admin looked at.
    /// </summary>
    public async Task<AdminActionOutcome> ResendDownloadMailAsync(AdminActor admin, string customerId, int seenIssueVersion,
        AdminReasonCode? reason, string? note, CancellationToken cancellationToken = default)
    {
        if (AdminReason.Check(reason, note) != AdminReasonError.None) return AdminActionOutcome.ReasonInvalid;
        if (customerId == admin.UserId) return AdminActionOutcome.OwnAccount;
        await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
        {
            if (!await db.Users.AnyAsync(u => u.Id == customerId, cancellationToken)) return AdminActionOutcome.NoSuchCustomer;
        }

        var audit = Entry(admin, customerId, ResendEvent, reason!.Value, note, clock.GetUtcNow());
        var resent = await enrollment.ResendDownloadMailAsync(customerId, admin.SourceAddress,
            new StaffResend(seenIssueVersion, audit), cancellationToken);
        if (resent == DownloadMailResend.NotAllowed) return AdminActionOutcome.StateChanged;
        security.AdminResendMail(admin.UserId, customerId, reason.Value, mailSent: resent == DownloadMailResend.Sent, admin.SourceAddress);
        return resent == DownloadMailResend.Sent ? AdminActionOutcome.Done : AdminActionOutcome.MailFailed;
    }

    /// <summary>
    /// 利用停止の解除, after checking the customer's identity: only the stop the admin saw (<paramref name="seenStoppedAt"/>),
    /// audited with the admin, mailed to the registered address. An unlock never lifts a stop; only this does.
    /// </summary>
    public Task<AdminActionOutcome> LiftServiceStopAsync(AdminActor admin, string customerId, DateTimeOffset seenStoppedAt,
        AdminReasonCode? reason, string? note, CancellationToken cancellationToken = default) =>
        stops.LiftAsync(admin, customerId, seenStoppedAt, reason, note, cancellationToken);

    private async Task AuditAsync(AdminActor admin, string customerId, string eventName, AdminReasonCode reason, string? note,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(Entry(admin, customerId, eventName, reason, note, now));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static AuditEntry Entry(AdminActor admin, string customerId, string eventName, AdminReasonCode reason, string? note,
        DateTimeOffset now) =>
        AuditEntry.Record(now, customerId, admin.LoginId, eventName, AuditEvents.Succeeded, admin.SourceAddress,
            StatusText.ReasonWithNote(reason, note));
}
