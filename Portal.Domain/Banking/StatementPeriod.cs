using System.Globalization;

namespace Portal.Domain.Banking;

/// <summary>照会期間: 今日 / 1週間 / 1か月 / 期間指定.</summary>
public enum PeriodKind { Today, Week, Month, Custom }

public enum PeriodKindError { None, Unknown }

public enum PeriodDateError { None, Required, Malformed, TooFarBack, InFuture, EndBeforeStart }

/// <summary>
/// A statement period as Japan days, both ends included: the entries booked from <see cref="From"/> 0:00 JST up to
/// the end of <see cref="To"/>.
/// </summary>
public sealed record StatementPeriod(PeriodKind Kind, DateOnly From, DateOnly To)
{
    /// <summary>The first instant of the period, in UTC (as every instant is stored).</summary>
    public DateTimeOffset StartsAt => JapanTime.StartOf(From);

    /// <summary>The first instant after the period, in UTC.</summary>
    public DateTimeOffset EndsBefore => JapanTime.StartOf(To.AddDays(1));

    public bool Contains(DateTimeOffset instant) => instant >= StartsAt && instant < EndsBefore;
}

/// <summary>What came of reading a period: the period, or a message per field (and then no period).</summary>
public sealed record PeriodChoice(StatementPeriod? Period, PeriodKind Kind, PeriodKindError KindError, PeriodDateError FromError, PeriodDateError ToError)
{
    public bool IsValid => Period is not null;
}

/// <summary>The statement period rules (SPEC section 6): at most 13 months back, nothing in the future, Japan days.</summary>
public static class StatementPeriods
{
    public const int MonthsBack = 13;
    public const PeriodKind Default = PeriodKind.Month;

    /// <summary>The query-string names of the kinds: ?period=today|week|month|custom.</summary>
    public static string Name(PeriodKind kind) => kind switch
    {
        PeriodKind.Today => "today",
        PeriodKind.Week => "week",
        PeriodKind.Month => "month",
        _ => "custom",
    };

    /// <summary>The earliest day a statement may start on.</summary>
    public static DateOnly Earliest(DateOnly today) => today.AddMonths(-MonthsBack);

    /// <summary>The fixed periods, ending today: 今日, 1週間 (7 days), 1か月 (since the same day last month).</summary>
    public static StatementPeriod Fixed(PeriodKind kind, DateOnly today) => kind switch
    {
        PeriodKind.Today => new(kind, today, today),
        PeriodKind.Week => new(kind, today.AddDays(-6), today),
        PeriodKind.Month => new(kind, today.AddMonths(-1).AddDays(1), today),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), "期間指定 has no fixed range."),
    };

    /// <summary>
    /// Reads a period from untrusted text (the query string): <paramref name="period"/> names the kind (empty: 1か月,
    /// or 期間指定 when dates are given); 期間指定 takes <paramref name="from"/> and <paramref name="to"/> as yyyy-MM-dd.
    /// </summary>
    public static PeriodChoice Parse(string? period, string? from, string? to, DateOnly today)
    {
        PeriodKind kind;
        if (string.IsNullOrEmpty(period))
            kind = string.IsNullOrEmpty(from) && string.IsNullOrEmpty(to) ? Default : PeriodKind.Custom;
        else if (TryKind(period, out var named))
            kind = named;
        else
            return new PeriodChoice(null, Default, PeriodKindError.Unknown, PeriodDateError.None, PeriodDateError.None);

        if (kind != PeriodKind.Custom)
            return new PeriodChoice(Fixed(kind, today), kind, PeriodKindError.None, PeriodDateError.None, PeriodDateError.None);

        var (fromDate, fromError) = ReadDate(from);
        var (toDate, toError) = ReadDate(to);
        return Custom(fromDate, toDate, today, fromError, toError);
    }

    /// <summary>期間指定 from dates already parsed (a date picker).</summary>
    public static PeriodChoice Custom(DateOnly? from, DateOnly? to, DateOnly today) =>
        Custom(from, to, today, from is null ? PeriodDateError.Required : PeriodDateError.None,
            to is null ? PeriodDateError.Required : PeriodDateError.None);

    private static PeriodChoice Custom(DateOnly? from, DateOnly? to, DateOnly today, PeriodDateError fromError, PeriodDateError toError)
    {
        if (fromError == PeriodDateError.None && from is { } f)
        {
            if (f < Earliest(today)) fromError = PeriodDateError.TooFarBack;
            else if (f > today) fromError = PeriodDateError.InFuture;
        }
        if (toError == PeriodDateError.None && to is { } t)
        {
            if (t > today) toError = PeriodDateError.InFuture;
            else if (from is { } start && t < start) toError = PeriodDateError.EndBeforeStart;
            else if (t < Earliest(today)) toError = PeriodDateError.TooFarBack;
        }
        var period = fromError == PeriodDateError.None && toError == PeriodDateError.None
            ? new StatementPeriod(PeriodKind.Custom, from!.Value, to!.Value)
            : null;
        return new PeriodChoice(period, PeriodKind.Custom, PeriodKindError.None, fromError, toError);
    }

    private static bool TryKind(string value, out PeriodKind kind)
    {
        foreach (var candidate in Enum.GetValues<PeriodKind>())
        {
            if (string.Equals(Name(candidate), value, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }
        kind = Default;
        return false;
    }

    private static (DateOnly? Date, PeriodDateError Error) ReadDate(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return (null, PeriodDateError.Required);
        return value.Length == 10 && DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? (date, PeriodDateError.None)
            : (null, PeriodDateError.Malformed);
    }

    /// <summary>yyyy-MM-dd, the form the query string and the date fields use.</summary>
    public static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
