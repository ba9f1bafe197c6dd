using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain;
using Portal.Domain.Notices;

namespace Portal.Notices;

/// <summary>
/// The menu's 【お知らせ】: which notices to list, in the bank's day. The board is the same for every customer and
/// changes a few times a month, so each instance reads it at most once a minute (a new notice shows within a minute)
/// instead of at every load of the menu.
/// </summary>
public sealed class NoticeService(IDbContextFactory<PortalDbContext> dbs, TimeProvider clock)
{
    public static readonly TimeSpan ReadAgainAfter = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<bool, (DateOnly Day, DateTimeOffset ReadAt, IReadOnlyList<Notice> Notices)> _read = new();

    public async Task<IReadOnlyList<Notice>> ListAsync(bool includePast, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var today = JapanTime.Today(clock);
        if (_read.TryGetValue(includePast, out var read) && read.Day == today && now - read.ReadAt < ReadAgainAfter) return read.Notices;

        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        // The rule lives in NoticeBoard; the query only trims what can never be shown.
        var candidates = await db.Notices.AsNoTracking()
            .Where(n => n.PublishedOn <= today && (includePast || n.EndsOn >= today))
            .ToListAsync(cancellationToken);
        var notices = NoticeBoard.Select(candidates, today, includePast);
        _read[includePast] = (today, now, notices);
        return notices;
    }
}
