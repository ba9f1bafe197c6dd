namespace Portal.Domain.Throttling;

/// <summary>
/// A limit of attempts per window, counted in fixed windows (one counter per key and window) and read as a sliding
/// one: the previous window's count weighs as much as the part of it that still lies within the last window. So an
/// address cannot spend its limit at the end of one window and again at the start of the next, and a test that makes
/// a few attempts is not reset by a window boundary between them.
/// </summary>
public static class SlidingWindow
{
    /// <summary>The start of the fixed window that holds <paramref name="now"/>.</summary>
    public static DateTimeOffset StartOf(DateTimeOffset now, TimeSpan window) =>
        new(now.UtcTicks - now.UtcTicks % window.Ticks, TimeSpan.Zero);

    /// <param name="current">Attempts counted in the current window, this one included.</param>
    /// <param name="previous">Attempts counted in the window before it.</param>
    /// <returns>Null when the attempt is within the limit; otherwise how long until one more would be.</returns>
    public static TimeSpan? Refusal(long current, long previous, int limit, DateTimeOffset now, TimeSpan window)
    {
        var start = StartOf(now, window);
        var elapsed = (now - start) / window; // 0 ≤ elapsed < 1
        if (current + previous * (1 - elapsed) <= limit) return null;

        // When would the next attempt (current + 1) fit? Still in this window, while the previous one fades...
        var room = limit - current - 1;
        if (room >= 0 && previous > 0)
        {
            var at = 1 - (double)room / previous; // the fraction of this window at which it fits
            return AtLeastASecond(window * at - (now - start));
        }
        // ...or in the next one, where this window's count fades in its turn.
        var fitsAt = current > 0 && limit >= 1 ? Math.Max(0, 1 - (double)(limit - 1) / current) : 0;
        return AtLeastASecond(start + window - now + window * fitsAt);
    }

    private static TimeSpan AtLeastASecond(TimeSpan wait) => wait < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : wait;
}
