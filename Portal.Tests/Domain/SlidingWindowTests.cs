using Portal.Domain.Throttling;

namespace Portal.Tests.Domain;

/// <summary>The limit that counts in fixed windows and reads as a sliding one (RateCounters' rule).</summary>
public class SlidingWindowTests
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly DateTimeOffset WindowStart = new(2026, 11, 24, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_window_starts_on_its_minute()
    {
        Assert.Equal(WindowStart, SlidingWindow.StartOf(WindowStart.AddSeconds(59.9), Minute));
        Assert.Equal(WindowStart, SlidingWindow.StartOf(WindowStart, Minute));
        Assert.Equal(WindowStart.AddMinutes(1), SlidingWindow.StartOf(WindowStart.AddMinutes(1), Minute));
    }

    [Fact]
    public void Up_to_the_limit_passes_and_the_next_is_told_to_wait_until_the_window_has_moved_on()
    {
        var now = WindowStart.AddSeconds(10);
        Assert.Null(SlidingWindow.Refusal(3, 0, 3, now, Minute));
        var wait = SlidingWindow.Refusal(4, 0, 3, now, Minute);
        Assert.NotNull(wait);
        // Four in this window: in the next one, the next attempt fits once a quarter of them has faded (1 + 4·(1 − t) ≤ 3).
        Assert.Equal(TimeSpan.FromSeconds(50 + 30), wait);
    }

    [Fact]
    public void The_previous_window_weighs_as_much_as_still_lies_within_the_last_minute()
    {
        // Three at the end of the last minute: at 0:10 they weigh 2.5, so one more (3.5) is too many...
        Assert.NotNull(SlidingWindow.Refusal(1, 3, 3, WindowStart.AddSeconds(10), Minute));
        // ...and at 0:30 they weigh 1.5, so one more (2.5) passes, as a sliding window would let it.
        Assert.Null(SlidingWindow.Refusal(1, 3, 3, WindowStart.AddSeconds(30), Minute));
        // Refused at 0:10, the next fits when 3·(1 − t) ≤ 3 − 1 − 1, that is at t = 2/3: 0:40.
        Assert.Equal(TimeSpan.FromSeconds(30), SlidingWindow.Refusal(1, 3, 3, WindowStart.AddSeconds(10), Minute));
    }

    [Fact]
    public void A_window_boundary_between_attempts_does_not_reset_the_count()
    {
        // Two just before the minute and two just after: the fourth of the four is refused, as in one window.
        Assert.Null(SlidingWindow.Refusal(1, 2, 3, WindowStart.AddMilliseconds(100), Minute));
        Assert.NotNull(SlidingWindow.Refusal(2, 2, 3, WindowStart.AddMilliseconds(200), Minute));
    }

    [Fact]
    public void The_wait_is_never_under_a_second()
    {
        var wait = SlidingWindow.Refusal(2, 0, 1, WindowStart.AddSeconds(59.99), Minute);
        Assert.True(wait >= TimeSpan.FromSeconds(1));
    }
}
