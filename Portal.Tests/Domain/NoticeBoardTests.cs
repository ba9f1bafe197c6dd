using Portal.Domain.Notices;

namespace Portal.Tests.Domain;

public class NoticeBoardTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    private static Notice Make(int id, int publishedDaysAgo, int endsInDays) => new()
    {
        Id = id, Title = $"notice {id}", Body = "",
        PublishedOn = Today.AddDays(-publishedDaysAgo), EndsOn = Today.AddDays(endsInDays),
    };

    private static readonly Notice[] All =
    [
        Make(1, 10, 5),    // current
        Make(2, 1, 0),     // ends today: still current
        Make(3, 30, -1),   // ended yesterday: past
        Make(4, -2, 30),   // not yet published
    ];

    [Fact]
    public void By_default_only_current_notices_newest_first()
    {
        var shown = NoticeBoard.Select(All, Today, includePast: false);
        Assert.Equal([2, 1], shown.Select(n => n.Id));
    }

    [Fact]
    public void All_titles_include_past_notices_but_never_future_ones()
    {
        var shown = NoticeBoard.Select(All, Today, includePast: true);
        Assert.Equal([2, 1, 3], shown.Select(n => n.Id));
    }

    [Fact]
    public void Is_current_on_matches_the_board()
    {
        Assert.True(All[1].IsCurrentOn(Today));
        Assert.False(All[2].IsCurrentOn(Today));
        Assert.False(All[3].IsCurrentOn(Today));
    }
}
