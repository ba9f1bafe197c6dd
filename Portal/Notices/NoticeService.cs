using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain;
using Portal.Domain.Notices;

namespace Portal.Notices;

/// <summary>The menu's 【お知らせ】: which notices to list, in the bank's day.</summary>
public sealed class NoticeService(IDbContextFactory<PortalDbContext> dbs, TimeProvider clock)
{
    public async Task<IReadOnlyList<Notice>> ListAsync(bool includePast, CancellationToken cancellationToken = default)
    {
        var today = JapanTime.Today(clock);
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        // The rule lives in NoticeBoard; the query only trims what can never be shown.
        var candidates = await db.Notices.AsNoTracking()
            .Where(n => n.PublishedOn <= today && (includePast || n.EndsOn >= today))
            .ToListAsync(cancellationToken);
        return NoticeBoard.Select(candidates, today, includePast);
    }
}
