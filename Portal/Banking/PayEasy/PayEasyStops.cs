using Microsoft.EntityFrameworkCore;
using Portal.Admin;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Otp;
using Portal.Domain.Banking;

namespace Portal.Banking.PayEasy;

/// <summary>The outcome of one wrong お客様番号/確認番号: how many tries are left, or the stop it started.</summary>
public sealed record LookupFailure(int FailuresLeft, DateTimeOffset? StoppedUntil);

/// <summary>
/// The Pay-easy stop: 10 consecutive wrong お客様番号/確認番号 stop Pay-easy for the customer until the end of the
/// Japan day (audited); bank staff can lift it with a reason.
/// </summary>
public sealed class PayEasyStops(IDbContextFactory<PortalDbContext> dbs, SecurityLog security, TimeProvider clock)
{
    /// <summary>The end of the customer's stop, or null when Pay-easy is open to them.</summary>
    public async Task<DateTimeOffset?> FindStopAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.PayEasyStops.Where(s => s.UserId == userId && s.StoppedUntil > now)
            .Select(s => s.StoppedUntil).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Counts a bill that was not found; the tenth in a row starts a stop. Audited either way.</summary>
    public async Task<LookupFailure> CountFailureAsync(string userId, string? sourceAddress, CancellationToken cancellationToken = default)
    {
        for (var attempt = 0; ; attempt++)
        {
            var now = clock.GetUtcNow();
            await using var db = await dbs.CreateDbContextAsync(cancellationToken);
            var stop = await db.PayEasyStops.SingleOrDefaultAsync(s => s.UserId == userId, cancellationToken);
            if (stop is null) db.PayEasyStops.Add(stop = new PayEasyStop { UserId = userId });
            stop.ConsecutiveFailures++;
            stop.Version++;
            DateTimeOffset? stoppedUntil = null;
            if (stop.ConsecutiveFailures >= PayEasyRules.FailuresToStop)
            {
                stoppedUntil = stop.StoppedUntil = PayEasyRules.StopEndsAt(now);
                stop.ConsecutiveFailures = 0;
            }
            db.AuditEntries.Add(AuditEntry.Record(now, userId, AuditActors.Customer, AuditEvents.PayEasyLookupFailed, AuditEvents.Failed, sourceAddress));
            if (stoppedUntil is not null)
                db.AuditEntries.Add(AuditEntry.Record(now, userId, AuditActors.System, AuditEvents.PayEasyStopped, AuditEvents.Succeeded, sourceAddress,
                    AuditDetails.PayEasyStoppedAfter(PayEasyRules.FailuresToStop)));
            // Two wrong tries at once: the second save meets a changed version (or the first row) and counts again on a fresh read.
            if (await db.SaveAsync(cancellationToken) != SaveOutcome.Saved)
            {
                if (attempt == 4) throw new InvalidOperationException("The Pay-easy failure count kept changing under us.");
                continue;
            }
            if (stoppedUntil is not null) security.PayEasyStopped(userId, sourceAddress);
            return new LookupFailure(stoppedUntil is null ? PayEasyRules.FailuresToStop - stop.ConsecutiveFailures : 0, stoppedUntil);
        }
    }

    /// <summary>Right numbers end a run of wrong ones.</summary>
    public async Task ResetAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await db.PayEasyStops.Where(s => s.UserId == userId && s.ConsecutiveFailures > 0)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.ConsecutiveFailures, 0).SetProperty(s => s.Version, s => s.Version + 1), cancellationToken);
    }

    /// <summary>
    /// Staff lift a running stop with a reason, as for the OTP actions: the reason checked here, never on oneself,
    /// audited with the admin's login ID. StateChanged when there was no stop to lift (it ran out, or another admin lifted it).
    /// </summary>
    public async Task<AdminActionOutcome> LiftAsync(AdminActor admin, string userId, AdminReasonCode? reason, string? note,
        CancellationToken cancellationToken = default)
    {
        if (AdminReason.Check(reason, note) != AdminReasonError.None) return AdminActionOutcome.ReasonInvalid;
        if (userId == admin.UserId) return AdminActionOutcome.OwnAccount;
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var lifted = await db.PayEasyStops.Where(s => s.UserId == userId && s.StoppedUntil > now)
            .ExecuteUpdateAsync(set => set.SetProperty(s => s.StoppedUntil, (DateTimeOffset?)null).SetProperty(s => s.ConsecutiveFailures, 0)
                .SetProperty(s => s.Version, s => s.Version + 1), cancellationToken) == 1;
        if (!lifted) return AdminActionOutcome.StateChanged;
        db.AuditEntries.Add(AuditEntry.Record(now, userId, admin.LoginId, AuditEvents.AdminLiftPayEasyStop, AuditEvents.Succeeded,
            admin.SourceAddress, StatusText.ReasonWithNote(reason!.Value, note)));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        security.PayEasyStopLifted(admin.UserId, userId, reason.Value, admin.SourceAddress);
        return AdminActionOutcome.Done;
    }
}

/// <summary>Staff's side of Pay-easy: a customer's payments (read only) and lifting a stop.</summary>
public sealed class AdminPayEasy(IDbContextFactory<PortalDbContext> dbs, PayEasyStops stops)
{
    /// <summary>The customer's latest accepted payments, newest first.</summary>
    public async Task<IReadOnlyList<PaymentReceipt>> GetPaymentsAsync(string userId, int max, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var rows = await db.Payments.AsNoTracking().Where(p => p.UserId == userId && p.Status == PaymentStatus.Accepted)
            .OrderByDescending(p => p.AcceptedAt).Take(Math.Clamp(max, 1, PayEasyPayments.MaxPageSize)).ToListAsync(cancellationToken);
        return rows.Select(PayEasyPayments.ReceiptOf).ToList();
    }

    /// <summary>The end of the customer's Pay-easy stop, or null when not stopped.</summary>
    public Task<DateTimeOffset?> GetStopAsync(string userId, CancellationToken cancellationToken = default) =>
        stops.FindStopAsync(userId, cancellationToken);

    /// <summary>Lifts the stop (audited with the admin and the reason); StateChanged when there was no stop to lift.</summary>
    public Task<AdminActionOutcome> LiftStopAsync(AdminActor admin, string userId, AdminReasonCode? reason, string? note,
        CancellationToken cancellationToken = default) =>
        stops.LiftAsync(admin, userId, reason, note, cancellationToken);
}
