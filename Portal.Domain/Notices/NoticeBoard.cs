namespace Portal.Domain.Notices;

/// <summary>Which notices the menu shows, and in which order.</summary>
public static class NoticeBoard
{
    /// <summary>
    /// By default only current notices; 全タイトル表示 shows every published notice, past ones too.
    /// Newest ご案内日 first, so the latest news is at the top.
    /// </summary>
    public static IReadOnlyList<Notice> Select(IEnumerable<Notice> notices, DateOnly today, bool includePast) =>
        notices
            .Where(n => n.PublishedOn <= today && (includePast || n.EndsOn >= today))
            .OrderByDescending(n => n.PublishedOn)
            .ThenBy(n => n.Id)
            .ToList();
}
