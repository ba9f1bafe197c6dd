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

    /// <summary>The customer's 利用停止 as stored (in force, or the last one lifted), or null when never stopped.</summary>
    public async Task<Portal.Identity.ServiceStop?> GetServiceStopAsync(string userId, CancellationToken cancellationToken = default)
    {
        if (userId.Length > MaxUserIdLength) return null;
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.ServiceStops.AsNoTracking().SingleOrDefaultAsync(s => s.UserId == userId, cancellationToken);
    }

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

    /// <summary>
    /// One page of the list and the total, in four short statements (docs/decisions/0011): the count from the narrowest
    /// table that answers it, the page's IDs in order (PostgreSQL drops every LEFT JOIN that neither the filter nor the
    /// sort reads, so OFFSET walks one index), then those rows in full and their last OTP sign-in.
    /// </summary>
    public async Task<(IReadOnlyList<CustomerOtpRow> Rows, int Total)> ListAsync(CustomerOtpQuery query, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var search = query.Search?.Trim() is { Length: > 0 } given ? given[..Math.Min(given.Length, MaxSearchLength)] : null;
        var rows = Filter(Rows(db, query.Status, now), query.Status, search, now);

        var total = search is null ? await CountAsync(db, query.Status, now, cancellationToken) : await rows.CountAsync(cancellationToken);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var ids = await Sort(rows, query).Skip(Math.Max(query.Page, 0) * pageSize).Take(pageSize)
            .Select(r => r.Id).ToListAsync(cancellationToken);
        var page = (await rows.Where(r => ids.Contains(r.Id)).ToListAsync(cancellationToken))
            .OrderBy(r => ids.IndexOf(r.Id)).ToList();

        var lastOtpSignIn = await db.AuditEntries
            .Where(a => ids.Contains(a.UserId) && a.Event == AuditEvents.SignInOtp && a.Outcome == AuditEvents.Succeeded)
            .GroupBy(a => a.UserId)
            .Select(g => new { UserId = g.Key, At = g.Max(a => a.At) })
            .ToDictionaryAsync(x => x.UserId, x => x.At, cancellationToken);

        return (page.Select(r => new CustomerOtpRow(r.Id, r.LoginId, r.Name, r.Status, r.IssuedAt, r.StartedAt,
            lastOtpSignIn.TryGetValue(r.Id, out var at) ? at : null, Failures(r.AccessFailedCount, r.LockoutEnd > now), r.LockoutEnd > now)).ToList(), total);
    }

    /// <summary>A customer's line before the last OTP sign-in is added.</summary>
    private sealed class ListRow
    {
        public string Id { get; init; } = "";
        public string LoginId { get; init; } = "";
        public string NormalizedLoginId { get; init; } = "";
        public string Name { get; init; } = "";
        public RegistrationStatus Status { get; init; }
        public RegistrationStatus? StoredStatus { get; init; }
        public DateTimeOffset? ExpiresAt { get; init; }
        public DateTimeOffset? IssuedAt { get; init; }
        public DateTimeOffset? StartedAt { get; init; }
        public int AccessFailedCount { get; init; }
        public DateTimeOffset? LockoutEnd { get; init; }
    }

    /// <summary>
    /// Every customer with their registration and current issue. 利用中 and 申請済 always have an issue: for those filters
    /// the joins are inner and start from the status, so PostgreSQL can walk the issue-date index and stop at the page.
    /// </summary>
    private static IQueryable<ListRow> Rows(PortalDbContext db, RegistrationStatus? status, DateTimeOffset now) =>
        status is RegistrationStatus.InUse or RegistrationStatus.Applied
            ? from registration in db.OtpRegistrations
              where registration.Status == status
              join user in db.Users on registration.UserId equals user.Id
              join issue in db.TokenIssues on registration.CurrentIssueId equals issue.Id
              select new ListRow
              {
                  Id = user.Id,
                  LoginId = user.UserName!,
                  NormalizedLoginId = user.NormalizedUserName!,
                  Name = user.DisplayName,
                  Status = registration.Status == RegistrationStatus.Applied && issue.ExpiresAt <= now
                      ? RegistrationStatus.Unregistered
                      : registration.Status,
                  StoredStatus = registration.Status,
                  ExpiresAt = issue.ExpiresAt,
                  IssuedAt = issue.IssuedAt,
                  StartedAt = registration.StartedAt,
                  AccessFailedCount = user.AccessFailedCount,
                  LockoutEnd = user.LockoutEnd,
              }
            : from user in db.Users
              join registration in db.OtpRegistrations on user.Id equals registration.UserId into registrations
              from registration in registrations.DefaultIfEmpty()
              join issue in db.TokenIssues on registration.CurrentIssueId equals issue.Id into issues
              from issue in issues.DefaultIfEmpty()
              select new ListRow
              {
                  Id = user.Id,
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
                  AccessFailedCount = user.AccessFailedCount,
                  LockoutEnd = user.LockoutEnd,
              };

    /// <summary>
    /// The filter names the stored columns, not the computed Status: PostgreSQL can then use the status index instead
    /// of evaluating the lapse rule for all 100,000 rows.
    /// </summary>
    private static IQueryable<ListRow> Filter(IQueryable<ListRow> rows, RegistrationStatus? status, string? search, DateTimeOffset now)
    {
        if (search is not null)
        {
            var upper = search.ToUpperInvariant();
            rows = rows.Where(r => r.NormalizedLoginId.Contains(upper) || r.Name.Contains(search));
        }
        return status switch
        {
            RegistrationStatus.Unregistered => rows.Where(r => r.StoredStatus == null
                || r.StoredStatus == RegistrationStatus.Unregistered
                || (r.StoredStatus == RegistrationStatus.Applied && r.ExpiresAt <= now)),
            RegistrationStatus.Applied => rows.Where(r => r.ExpiresAt > now),
            _ => rows, // 利用中: Rows already starts from it
        };
    }

    /// <summary>
    /// The total without a search, from the registrations alone (their status index) instead of joining every customer:
    /// every registration belongs to a customer (a foreign key), and 未登録 is everyone else.
    /// </summary>
    private static async Task<int> CountAsync(PortalDbContext db, RegistrationStatus? status, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (status is null) return await db.Users.CountAsync(cancellationToken);
        if (status == RegistrationStatus.InUse)
            return await db.OtpRegistrations.CountAsync(r => r.Status == RegistrationStatus.InUse, cancellationToken);
        var applied = await (from registration in db.OtpRegistrations
                             where registration.Status == RegistrationStatus.Applied
                             join issue in db.TokenIssues on registration.CurrentIssueId equals issue.Id
                             where issue.ExpiresAt > now
                             select registration.UserId).CountAsync(cancellationToken);
        if (status == RegistrationStatus.Applied) return applied;
        return await db.Users.CountAsync(cancellationToken)
            - await db.OtpRegistrations.CountAsync(r => r.Status == RegistrationStatus.InUse, cancellationToken) - applied;
    }

    /// <summary>Every order ends in the login ID, so a page is the same page every time it is asked for.</summary>
    private static IQueryable<ListRow> Sort(IQueryable<ListRow> rows, CustomerOtpQuery query) => (query.SortBy, query.Descending) switch
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

    /// <summary>
    /// Consecutive failures as staff mean it: Identity clears its count when it sets the lock, so a locked customer
    /// shows the failures that locked them, not 0.
    /// </summary>
    private int Failures(int accessFailedCount, bool locked) =>
        locked ? Math.Max(accessFailedCount, identity.Value.Lockout.MaxFailedAccessAttempts) : accessFailedCount;
}
