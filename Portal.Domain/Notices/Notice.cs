namespace Portal.Domain.Notices;

/// <summary>A notice (お知らせ) shown on the menu between its ご案内日 and its 提供終了.</summary>
public sealed class Notice
{
    public int Id { get; set; }

    /// <summary>ご案内日: the day the notice was first shown.</summary>
    public DateOnly PublishedOn { get; set; }

    /// <summary>提供終了: the last day the notice is current.</summary>
    public DateOnly EndsOn { get; set; }

    public required string Title { get; set; }

    public required string Body { get; set; }

    /// <summary>Current notices are those whose 提供終了 is today or later and that are already published.</summary>
    public bool IsCurrentOn(DateOnly today) => PublishedOn <= today && EndsOn >= today;
}
