using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;

namespace Portal.Admin;

/// <param name="Days">The bank's days (JST), oldest first, with the day's counts.</param>
public sealed record DashboardData(
    int Unregistered,
    int Applied,
    int InUse,
    IReadOnlyList<DailyCounts> Days,
    IReadOnlyList<RefusedReplay> LatestReplays);

/// <param name="StartsToDate">Adoption: every start of use up to the end of the day, since the portal began.</param>
public sealed record DailyCounts(DateOnly Day, int StartsOfUse, int StartsToDate, int OtpFailures, int Lockouts);

public sealed record RefusedReplay(DateTimeOffset At, string LoginId, string? SourceAddress);

/// <summary>The admin dashboard's numbers: registration counts now, and what happened per day.</summary>
public sealed class AdminDashboard(IDbContextFactory<PortalDbContext> dbs, TimeProvider clock)
{
    public async Task<DashboardData> GetAsync(int days = 30, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var users = await db.Users.CountAsync(cancellationToken);
        var inUse = await db.OtpRegistrations.CountAsync(r => r.Status == RegistrationStatus.InUse, cancellationToken);
        var applied = await (from r in db.OtpRegistrations
                             join i in db.TokenIssues on r.CurrentIssueId equals i.Id
                             where r.Status == RegistrationStatus.Applied && i.ExpiresAt > now
                             select r.UserId).CountAsync(cancellationToken);

        var today = JapanTime.Today(clock);
        var firstDay = today.AddDays(1 - days);
        var since = JapanTime.StartOf(firstDay);
        var events = await db.AuditEntries
            .Where(a => a.At >= since && (
                (a.Event == AuditEvents.StartOfUse && a.Outcome == AuditEvents.Succeeded)
                // Every refused code, wherever it was given (sign-in, 利用開始, 利用解除): OtpProof audits each alike.
                // Sign-in refusals written before OtpProof carry no detail.
                || (a.Event == AuditEvents.SignInOtp && a.Outcome == AuditEvents.Failed)
                || (a.Detail == AuditDetails.WrongCode && a.Outcome == AuditEvents.Failed)
                || a.Event == AuditEvents.ReplayRefused
                || a.Event == AuditEvents.Locked))
            .Select(a => new { a.At, a.Event, a.Outcome })
            .ToListAsync(cancellationToken);
        var startsBefore = await db.AuditEntries.CountAsync(a => a.At < since && a.Event == AuditEvents.StartOfUse
            && a.Outcome == AuditEvents.Succeeded, cancellationToken);
        var byDay = events.GroupBy(e => JapanTime.DateOf(e.At)).ToDictionary(g => g.Key);
        var startsToDate = startsBefore;
        var series = Enumerable.Range(0, days).Select(i => firstDay.AddDays(i)).Select(day =>
        {
            var list = byDay.TryGetValue(day, out var g) ? g.ToList() : [];
            var starts = list.Count(e => e.Event == AuditEvents.StartOfUse && e.Outcome == AuditEvents.Succeeded);
            startsToDate += starts;
            return new DailyCounts(day, starts, startsToDate,
                list.Count(e => e.Outcome == AuditEvents.Failed), // only refused codes are selected as failures
                list.Count(e => e.Event == AuditEvents.Locked));
        }).ToList();

        var replays = await (from a in db.AuditEntries
                             join u in db.Users on a.UserId equals u.Id
                             where a.Event == AuditEvents.ReplayRefused
                             orderby a.Id descending
                             select new RefusedReplay(a.At, u.UserName!, a.SourceAddress))
            .Take(10).ToListAsync(cancellationToken);

        return new DashboardData(users - inUse - applied, applied, inUse, series, replays);
    }
}
