using Microsoft.EntityFrameworkCore;
using Portal.Admin;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Domain.Stops;
using Portal.Mail;
using Portal.Otp;

namespace Portal.Identity;

/// <remarks><see cref="Unavailable"/>: the database did not answer; nothing was changed. Try again.</remarks>
public enum StopOutcome { Stopped, AlreadyStopped, LinkInvalid, Unavailable }

/// <summary>
/// 利用停止 (SPEC section 7, docs/decisions/0015): the 緊急利用停止 link stops the customer's internet banking at once
/// (every session ends, the security stamp changes, sign-in and payments are refused through
/// <see cref="PortalDbContext.StopsInForce"/>); only staff lift it, with a reason. A second stop changes nothing.
/// </summary>
public sealed class ServiceStops(
    IDbContextFactory<PortalDbContext> dbs,
    StopLinks links,
    SecurityNotices notices,
    SecurityLog security,
    TimeProvider clock,
    ILogger<ServiceStops> logger)
{
    public const string SessionEndReason = "service-stopped";

    /// <summary>Whether the page may offer the button; reading it changes nothing (mail scanners open links).</summary>
    public Task<bool> IsLinkUsableAsync(string? token, CancellationToken cancellationToken = default) =>
        links.IsUsableAsync(token, cancellationToken);

    /// <summary>The button 利用停止: the link is spent and the customer stopped, in one transaction.</summary>
    public Task<StopOutcome> StopByLinkAsync(string? token, string? sourceAddress, CancellationToken cancellationToken = default) =>
        StopByLinkCoreAsync(token, sourceAddress, cancellationToken).OrUnavailableAsync(StopOutcome.Unavailable, logger);

    private async Task<StopOutcome> StopByLinkCoreAsync(string? token, string? sourceAddress, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        string? userId;
        StopOutcome outcome;
        await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            userId = await links.ClaimAsync(db, token, now, cancellationToken);
            if (userId is null) return StopOutcome.LinkInvalid;
            outcome = await StopWithinAsync(db, userId, EmergencyStopRules.ByLink, AuditActors.StopLink, sourceAddress, now, cancellationToken);
            // A stop that met another stop's row rolls back (PostgreSQL has aborted the transaction); the link stays unused.
            if (outcome == StopOutcome.AlreadyStopped && db.Database.CurrentTransaction is null) return outcome;
            await transaction.CommitAsync(cancellationToken);
        }
        if (outcome == StopOutcome.Stopped) await AfterStopAsync(userId, EmergencyStopRules.ByLink, sourceAddress, now, cancellationToken);
        return outcome;
    }

    /// <summary>A stop by staff or (later) the customer's own settings: <paramref name="stoppedBy"/> says who.</summary>
    public async Task<StopOutcome> StopAsync(string userId, string stoppedBy, string actor, string? sourceAddress,
        CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await StopWithinAsync(db, userId, stoppedBy, actor, sourceAddress, now, cancellationToken) != StopOutcome.Stopped)
                return StopOutcome.AlreadyStopped;
            await transaction.CommitAsync(cancellationToken);
        }
        await AfterStopAsync(userId, stoppedBy, sourceAddress, now, cancellationToken);
        return StopOutcome.Stopped;
    }

    /// <summary>The customer's stop as stored (in force or lifted), or null when never stopped.</summary>
    public async Task<ServiceStop?> FindAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.ServiceStops.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == userId, cancellationToken);
    }

    /// <summary>
    /// 利用停止の解除 by staff after checking the customer's identity: a reason, never on oneself, only the stop the admin
    /// saw (<paramref name="seenStoppedAt"/>), audited with the admin's login ID, mailed to the registered address.
    /// </summary>
    public async Task<AdminActionOutcome> LiftAsync(AdminActor admin, string userId, DateTimeOffset seenStoppedAt,
        AdminReasonCode? reason, string? note, CancellationToken cancellationToken = default)
    {
        if (AdminReason.Check(reason, note) != AdminReasonError.None) return AdminActionOutcome.ReasonInvalid;
        if (userId == admin.UserId) return AdminActionOutcome.OwnAccount;
        var now = clock.GetUtcNow();
        await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var lifted = await db.StopsInForce.Where(s => s.UserId == userId && s.StoppedAt == seenStoppedAt)
                .ExecuteUpdateAsync(set => set.SetProperty(s => s.LiftedAt, now).SetProperty(s => s.LiftedBy, admin.LoginId), cancellationToken);
            // Lifted by another admin meanwhile, or stopped again since the admin looked.
            if (lifted != 1) return AdminActionOutcome.StateChanged;
            db.AuditEntries.Add(AuditEntry.Record(now, userId, admin.LoginId, AuditEvents.AdminLiftServiceStop, AuditEvents.Succeeded,
                admin.SourceAddress, StatusText.ReasonWithNote(reason!.Value, note)));
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        security.ServiceStopLifted(admin.UserId, userId, reason.Value, admin.SourceAddress);
        await notices.StopLiftedAsync(userId, now, cancellationToken);
        return AdminActionOutcome.Done;
    }

    /// <summary>
    /// Sets the stop unless one is in force: a lifted row is stopped again by a conditional UPDATE, a first stop is an
    /// INSERT whose primary key refuses a second. Then every session ends and the stamp changes, in the same transaction.
    /// </summary>
    private async Task<StopOutcome> StopWithinAsync(PortalDbContext db, string userId, string stoppedBy, string actor,
        string? sourceAddress, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var restopped = await db.ServiceStops.Where(s => s.UserId == userId && s.LiftedAt != null)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.StoppedAt, now).SetProperty(s => s.StoppedBy, stoppedBy)
                .SetProperty(s => s.LiftedAt, (DateTimeOffset?)null).SetProperty(s => s.LiftedBy, (string?)null), cancellationToken);
        if (restopped == 0)
        {
            if (await db.ServiceStops.AnyAsync(s => s.UserId == userId, cancellationToken)) return StopOutcome.AlreadyStopped;
            db.ServiceStops.Add(new ServiceStop { UserId = userId, StoppedAt = now, StoppedBy = stoppedBy });
            if (await db.SaveAsync(cancellationToken) != SaveOutcome.Saved)
            {
                await db.Database.RollbackTransactionAsync(cancellationToken);
                return StopOutcome.AlreadyStopped;
            }
        }
        // The stamp: every circuit and cookie of the customer notices within a minute (CircuitSignIns, the cookie check).
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(set => set
            .SetProperty(u => u.SecurityStamp, Guid.NewGuid().ToString("N"))
            .SetProperty(u => u.ConcurrencyStamp, Guid.NewGuid().ToString()), cancellationToken);
        await PortalSessions.EndAllAsync(db, userId, SessionEndReason, now, cancellationToken);
        db.AuditEntries.Add(AuditEntry.Record(now, userId, actor, AuditEvents.ServiceStopped, AuditEvents.Succeeded, sourceAddress,
            stoppedBy == actor ? null : stoppedBy));
        await db.SaveChangesAsync(cancellationToken);
        return StopOutcome.Stopped;
    }

    private async Task AfterStopAsync(string userId, string stoppedBy, string? sourceAddress, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        security.ServiceStopped(userId, stoppedBy, sourceAddress);
        await notices.StoppedAsync(userId, now, cancellationToken);
    }
}
