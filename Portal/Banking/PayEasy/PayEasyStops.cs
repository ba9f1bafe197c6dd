using Microsoft.EntityFrameworkCore;
using Portal.Admin;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Otp;
using Portal.Domain;
using Portal.Domain.Banking;

namespace Portal.Banking.PayEasy;

/// <summary>The outcome of one wrong お客様番号/確認番号: how many tries are left, or the stop it started.</summary>
public sealed record LookupFailure(int FailuresLeft, DateTimeOffset? StoppedUntil);

/// <summary>
/// The Pay-easy stop: 10 wrong お客様番号/確認番号 in a Japan day, with no completed payment between them, stop Pay-easy
/// for the customer until the end of that day (audited); bank staff can lift it with a reason.
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

    /// <summary>
    /// Counts a miss: a bill not found, or found paid, cancelled or expired (numbers that reach someone else's bill
    /// must not reset the count, SPEC section 7). The tenth of the Japan day starts a stop. Audited either way.
    /// One conditional UPDATE counts, so parallel misses are all counted and exactly one of them starts the stop.
    /// </summary>
    public async Task<LookupFailure> CountFailureAsync(string userId, string? sourceAddress, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var dayStart = JapanTime.StartOf(JapanTime.DateOf(now));
        var stopEnd = PayEasyRules.StopEndsAt(now);
        const int max = PayEasyRules.FailuresToStop;
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbs.CreateDbContextAsync(cancellationToken);
            // The row stays locked by the UPDATE until the commit, so the count read back is this miss's own.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var counted = await db.PayEasyStops.Where(s => s.UserId == userId).ExecuteUpdateAsync(set => set
                .SetProperty(s => s.ConsecutiveFailures, s => (s.LastFailureAt >= dayStart ? s.ConsecutiveFailures : 0) + 1)
                .SetProperty(s => s.StoppedUntil, s => (s.LastFailureAt >= dayStart ? s.ConsecutiveFailures : 0) + 1 >= max ? stopEnd : s.StoppedUntil)
                .SetProperty(s => s.LastFailureAt, now)
                .SetProperty(s => s.Version, s => s.Version + 1), cancellationToken) == 1;
            if (!counted) db.PayEasyStops.Add(new PayEasyStop { UserId = userId, ConsecutiveFailures = 1, LastFailureAt = now });
            else db.ChangeTracker.Clear();
            var failures = counted
                ? await db.PayEasyStops.Where(s => s.UserId == userId).Select(s => s.ConsecutiveFailures).SingleAsync(cancellationToken)
                : 1;
            var startedStop = failures == max; // only one miss brings the count to exactly the maximum
            db.AuditEntries.Add(AuditEntry.Record(now, userId, AuditActors.Customer, AuditEvents.PayEasyLookupFailed, AuditEvents.Failed, sourceAddress));
            if (startedStop)
                db.AuditEntries.Add(AuditEntry.Record(now, userId, AuditActors.System, AuditEvents.PayEasyStopped, AuditEvents.Succeeded, sourceAddress,
                    AuditDetails.PayEasyStoppedAfter(max)));
            // Two first misses at once: the second insert meets the first row and counts again by the UPDATE.
            if (await db.SaveAsync(cancellationToken) != SaveOutcome.Saved)
            {
                if (attempt == 2) throw new InvalidOperationException("The Pay-easy failure row kept being created under us.");
                continue;
            }
            await transaction.CommitAsync(cancellationToken);
            if (startedStop) security.PayEasyStopped(userId, sourceAddress);
            return failures >= max ? new LookupFailure(0, stopEnd) : new LookupFailure(max - failures, null);
        }
    }

    /// <summary>A completed payment ends a run of misses (nothing else does, besides Japan midnight and staff).</summary>
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
