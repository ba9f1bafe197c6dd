namespace Portal.Domain;

/// <summary>
/// The bank works in Japan Standard Time. Japan has no daylight saving, so a fixed offset is exact and needs no
/// time-zone database on the server.
/// </summary>
public static class JapanTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(9);

    public static DateOnly Today(TimeProvider clock) => DateOf(clock.GetUtcNow());

    /// <summary>The Japan date of an instant.</summary>
    public static DateOnly DateOf(DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    /// <summary>The instant a Japan day begins (midnight JST), in UTC.</summary>
    public static DateTimeOffset StartOf(DateOnly date) => new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), Offset).ToUniversalTime();

    /// <summary>2026年11月23日</summary>
    public static string FormatDate(DateOnly date) => $"{date.Year}年{date.Month}月{date.Day}日";

    /// <summary>2026年11月23日 9時05分</summary>
    public static string FormatDateTime(DateTimeOffset instant)
    {
        var local = instant.ToOffset(Offset);
        return $"{local.Year}年{local.Month}月{local.Day}日 {local.Hour}時{local.Minute:00}分";
    }

    /// <summary>2026/11/23, the Japan date of an instant, for statements.</summary>
    public static string FormatCompactDate(DateTimeOffset instant) =>
        instant.ToOffset(Offset).ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>2026/11/23 09:05, for tables where many dates stand side by side.</summary>
    public static string FormatCompact(DateTimeOffset instant) =>
        instant.ToOffset(Offset).ToString("yyyy/MM/dd HH:mm", System.Globalization.CultureInfo.InvariantCulture);
}
