using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;

namespace Portal.Admin;

/// <summary>One customer's line in the admin OTP status list.</summary>
public sealed record CustomerOtpRow(
    string UserId,
    string LoginId,
    string Name,
    RegistrationStatus Status,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? LastOtpSignInAt,
    int Failures,
    bool Locked);

public enum CustomerOtpSort { LoginId, Name, Status, IssuedAt, StartedAt, Failures }

public sealed record CustomerOtpQuery(
    string? Search = null,
    RegistrationStatus? Status = null,
    CustomerOtpSort SortBy = CustomerOtpSort.LoginId,
    bool Descending = false,
    int Page = 0,
    int PageSize = 20);

/// <summary>Everything an admin sees about one customer's OTP.</summary>
public sealed record CustomerOtpDetail(
    string LoginId,
    string Name,
    RegistrationStatus Status,
    int Version,
    string? MobileEmail,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? ActivatedAt,
    string? ActivationUserAgent,
    DateTimeOffset? StartedAt,
    DateTimeOffset? LastUsedAt,
    int? ClockDriftSeconds,
    int Failures,
    DateTimeOffset? LockedUntil,
    int? IssueVersion,
    bool CanResendDownloadMail);

/// <summary>One line of a customer's audit trail as the admin reads it.</summary>
public sealed record AuditLine(DateTimeOffset At, string Event, string Outcome, string Actor, string? SourceAddress, string? Detail);

/// <summary>The admin's read side: every customer's OTP state, filtered, sorted and paged in the database.</summary>
public sealed class AdminOtpQueries(IDbContextFactory<PortalDbContext> dbs, TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Identity.IdentityOptions> identity)
{
    public const int MaxPageSize = 100;
    public const int MaxSearchLength = 50;
    public const int MaxUserIdLength = 450; // Identity's key column

    public async Task<CustomerOtpDetail?> GetDetailAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (userId.Length > MaxUserIdLength) return null; // no such ID can exist; spare the database the lookup
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var user = await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken);
        if (user is null) return null;
        var now = clock.GetUtcNow();
        var registration = await db.OtpRegistrations.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == userId, cancellationToken);
        var issue = registration?.CurrentIssueId is { } issueId
            ? await db.TokenIssues.AsNoTracking().SingleOrDefaultAsync(i => i.Id == issueId, cancellationToken)
            : null;
        var used = issue is null
            ? []
            : await db.UsedOtpSteps.Where(u => u.TokenIssueId == issue.Id).OrderByDescending(u => u.UsedAt)
                .Take(ClockDrift.Evidence).Select(u => new { u.UsedAt, u.StepOffset }).ToListAsync(cancellationToken);
        var status = registration is null || (issue is not null && issue.IsLapsedAt(now, registration.Status))
            ? RegistrationStatus.Unregistered
            : registration.Status;
        return new CustomerOtpDetail(user.UserName!, user.DisplayName, status, registration?.Version ?? 0,
            issue?.MobileEmail, issue?.IssuedAt, issue?.ActivatedAt, issue?.ActivationUserAgent, registration?.StartedAt,
            used.FirstOrDefault()?.UsedAt, ClockDrift.EstimateSeconds(used.Select(u => u.StepOffset).ToList()),
            Failures(user.AccessFailedCount, user.LockoutEnd > now), user.LockoutEnd > now ? user.LockoutEnd : null,
            issue?.Version, status == RegistrationStatus.Applied && issue is not null && issue.IsDownloadableAt(now));
    }

    /// <summary>The customer's audit trail, newest first, a page at a time.</summary>
    public async Task<(IReadOnlyList<AuditLine> Lines, int Total)> GetTrailAsync(string userId, int page, int pageSize,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var trail = db.AuditEntries.Where(a => a.UserId == userId);
        var size = Math.Clamp(pageSize, 1, MaxPageSize);
        var lines = await trail.OrderByDescending(a => a.Id).Skip(Math.Max(page, 0) * size).Take(size)
            .Select(a => new AuditLine(a.At, a.Event, a.Outcome, a.Actor, a.SourceAddress, a.Detail))
            .ToListAsync(cancellationToken);
        return (lines, await trail.CountAsync(cancellationToken));
    }

    public async Task<(IReadOnlyList<CustomerOtpRow> Rows, int Total)> ListAsync(CustomerOtpQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var rows =
            from user in db.Users
            join registration in db.OtpRegistrations on user.Id equals registration.UserId into registrations
            from registration in registrations.DefaultIfEmpty()
            join issue in db.TokenIssues on registration.CurrentIssueId equals issue.Id into issues
            from issue in issues.DefaultIfEmpty()
            select new
            {
                user.Id,
                LoginId = user.UserName!,
                NormalizedLoginId = user.NormalizedUserName!,
                Name = user.DisplayName,
                // A lapsed 申請済 is 未登録 in effect; it is written so the next time the customer's state is read.
                Status = registration == null || (registration.Status == RegistrationStatus.Applied && issue.ExpiresAt <= now)
                    ? RegistrationStatus.Unregistered
                    : registration.Status,
                StoredStatus = (RegistrationStatus?)registration.Status,
                ExpiresAt = (DateTimeOffset?)issue.ExpiresAt,
                IssuedAt = (DateTimeOffset?)issue.IssuedAt,
                StartedAt = registration.StartedAt,
                user.AccessFailedCount,
                user.LockoutEnd,
            };

        var search = query.Search?.Trim();
        if (!string.IsNullOrEmpty(search))
        {
            if (search.Length > MaxSearchLength) search = search[..MaxSearchLength];
            var upper = search.ToUpperInvariant();
            rows = rows.Where(r => r.NormalizedLoginId.Contains(upper) || r.Name.Contains(search));
        }
        // The filter names the stored columns, not the computed Status: PostgreSQL can then use the status index
        // instead of evaluating the lapse rule for all 100,000 rows (the benchmark's slowest case).
        rows = query.Status switch
        {
            RegistrationStatus.Unregistered => rows.Where(r => r.StoredStatus == null
                || r.StoredStatus == RegistrationStatus.Unregistered
                || (r.StoredStatus == RegistrationStatus.Applied && r.ExpiresAt <= now)),
            RegistrationStatus.Applied => rows.Where(r => r.StoredStatus == RegistrationStatus.Applied && r.ExpiresAt > now),
            { } other => rows.Where(r => r.StoredStatus == other),
            null => rows,
        };

        var total = await rows.CountAsync(cancellationToken);
        rows = (query.SortBy, query.Descending) switch
        {
            (CustomerOtpSort.Name, false) => rows.OrderBy(r => r.Name).ThenBy(r => r.NormalizedLoginId),
            (CustomerOtpSort.Name, true) => rows.OrderByDescending(r => r.Name).ThenBy(r => r.NormalizedLoginId),
            (CustomerOtpSort.Status, false) => rows.OrderBy(r => r.Status).ThenBy(r => r.NormalizedLoginId),
            (CustomerOtpSort.Status, true) => rows.OrderByDescending(r => r.Status).ThenBy(r => r.NormalizedLoginId),
            (CustomerOtpSort.IssuedAt, false) => rows.OrderBy(r => r.IssuedAt).ThenBy(r => r.NormalizedLoginId),
            (CustomerOtpSort.IssuedAt, true) => rows.OrderByDescending(r => r.IssuedAt).ThenBy(r => r.NormalizedLoginId),
            (CustomerOtpSort.StartedAt, false) => rows.OrderBy(r => r.StartedAt).ThenBy(r => r.NormalizedLoginId),
            (CustomerOtpSort.StartedAt, true) => rows.OrderByDescending(r => r.StartedAt).ThenBy(r => r.NormalizedLoginId),
            (CustomerOtpSort.Failures, false) => rows.OrderBy(r => r.AccessFailedCount).ThenBy(r => r.NormalizedLoginId),
            (CustomerOtpSort.Failures, true) => rows.OrderByDescending(r => r.AccessFailedCount).ThenBy(r => r.NormalizedLoginId),
            // The normalised login ID has Identity's unique index; for half-width IDs the order is the same.
            (_, true) => rows.OrderByDescending(r => r.NormalizedLoginId),
            _ => rows.OrderBy(r => r.NormalizedLoginId),
        };
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var page = await rows.Skip(Math.Max(query.Page, 0) * pageSize).Take(pageSize).ToListAsync(cancellationToken);

        // A second, small query for the page's rows only: inside the first one PostgreSQL would evaluate it for every
        // row that OFFSET skips too.
        var ids = page.Select(r => r.Id).ToList();
        var lastOtpSignIn = await db.AuditEntries
            .Where(a => ids.Contains(a.UserId) && a.Event == AuditEvents.SignInOtp && a.Outcome == AuditEvents.Succeeded)
            .GroupBy(a => a.UserId)
            .Select(g => new { UserId = g.Key, At = g.Max(a => a.At) })
            .ToDictionaryAsync(x => x.UserId, x => x.At, cancellationToken);

        return (page.Select(r => new CustomerOtpRow(r.Id, r.LoginId, r.Name, r.Status, r.IssuedAt, r.StartedAt,
            lastOtpSignIn.TryGetValue(r.Id, out var at) ? at : null, Failures(r.AccessFailedCount, r.LockoutEnd > now), r.LockoutEnd > now)).ToList(), total);
    }

    /// <summary>
    /// Consecutive failures as staff mean it: Identity clears its count when it sets the lock, so a locked customer
    /// shows the failures that locked them, not 0.
    /// </summary>
    private int Failures(int accessFailedCount, bool locked) =>
        locked ? Math.Max(accessFailedCount, identity.Value.Lockout.MaxFailedAccessAttempts) : accessFailedCount;
}
