using Portal.Domain.Banking;

namespace Portal.Tests.Domain;

public class StatementPeriodTests
{
    private static readonly DateOnly Today = new(2026, 11, 24);

    [Fact]
    public void The_fixed_periods_end_today_and_count_japan_days()
    {
        Assert.Equal(new StatementPeriod(PeriodKind.Today, Today, Today), StatementPeriods.Fixed(PeriodKind.Today, Today));
        Assert.Equal(new DateOnly(2026, 11, 18), StatementPeriods.Fixed(PeriodKind.Week, Today).From);
        Assert.Equal(new DateOnly(2026, 10, 25), StatementPeriods.Fixed(PeriodKind.Month, Today).From);
        // 1か月 from the 31st of March: since the day after 28 February.
        Assert.Equal(new DateOnly(2027, 3, 1), StatementPeriods.Fixed(PeriodKind.Month, new DateOnly(2027, 3, 31)).From);
    }

    [Fact]
    public void A_period_runs_from_japan_midnight_to_the_next_japan_midnight_in_utc()
    {
        var day = StatementPeriods.Fixed(PeriodKind.Today, Today);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 15, 0, 0, TimeSpan.Zero), day.StartsAt);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 15, 0, 0, TimeSpan.Zero), day.EndsBefore);
        Assert.Equal(TimeSpan.Zero, day.StartsAt.Offset);
        Assert.True(day.Contains(new DateTimeOffset(2026, 11, 24, 0, 0, 0, JapanOffset)));
        Assert.True(day.Contains(new DateTimeOffset(2026, 11, 24, 23, 59, 59, JapanOffset)));
        Assert.False(day.Contains(new DateTimeOffset(2026, 11, 25, 0, 0, 0, JapanOffset)));
        Assert.False(day.Contains(new DateTimeOffset(2026, 11, 23, 23, 59, 59, JapanOffset)));
    }

    private static readonly TimeSpan JapanOffset = TimeSpan.FromHours(9);

    [Theory]
    [InlineData(null, null, null, PeriodKind.Month)]
    [InlineData("", "", "", PeriodKind.Month)]
    [InlineData("today", null, null, PeriodKind.Today)]
    [InlineData("WEEK", null, null, PeriodKind.Week)]
    [InlineData("month", "garbage", "ignored", PeriodKind.Month)]
    public void The_query_names_a_fixed_period_and_nothing_else_counts(string? period, string? from, string? to, PeriodKind kind)
    {
        var choice = StatementPeriods.Parse(period, from, to, Today);
        Assert.True(choice.IsValid);
        Assert.Equal(StatementPeriods.Fixed(kind, Today), choice.Period);
    }

    [Fact]
    public void A_custom_period_reads_both_dates_and_dates_alone_mean_custom()
    {
        var choice = StatementPeriods.Parse(null, "2026-01-01", "2026-01-31", Today);
        Assert.Equal(new StatementPeriod(PeriodKind.Custom, new(2026, 1, 1), new(2026, 1, 31)), choice.Period);
        Assert.True(StatementPeriods.Parse("custom", "2026-11-24", "2026-11-24", Today).IsValid);
    }

    [Fact]
    public void Thirteen_months_back_is_the_limit_to_the_day()
    {
        Assert.Equal(new DateOnly(2025, 10, 24), StatementPeriods.Earliest(Today));
        Assert.True(StatementPeriods.Parse("custom", "2025-10-24", "2025-10-31", Today).IsValid);
        var tooFar = StatementPeriods.Parse("custom", "2025-10-23", "2025-10-31", Today);
        Assert.False(tooFar.IsValid);
        Assert.Equal(PeriodDateError.TooFarBack, tooFar.FromError);
        Assert.Equal(PeriodDateError.None, tooFar.ToError);
    }

    [Theory]
    [InlineData("2026-02-01", "2026-01-31", PeriodDateError.None, PeriodDateError.EndBeforeStart)]
    [InlineData("2026-11-25", "2026-11-25", PeriodDateError.InFuture, PeriodDateError.InFuture)]
    [InlineData(null, "2026-01-31", PeriodDateError.Required, PeriodDateError.None)]
    [InlineData("2026-01-01", "", PeriodDateError.None, PeriodDateError.Required)]
    [InlineData("2026-13-01", "2026-02-30", PeriodDateError.Malformed, PeriodDateError.Malformed)]
    [InlineData("2026/01/01", "20260131", PeriodDateError.Malformed, PeriodDateError.Malformed)]
    [InlineData("２０２６-０１-０１", "2026-1-31", PeriodDateError.Malformed, PeriodDateError.Malformed)]
    [InlineData("'; DROP TABLE \"Accounts\"--", "<script>", PeriodDateError.Malformed, PeriodDateError.Malformed)]
    [InlineData("2000-01-01", "1999-12-31", PeriodDateError.TooFarBack, PeriodDateError.EndBeforeStart)]
    public void A_bad_custom_period_gets_a_reason_per_field_and_no_period(string? from, string? to, PeriodDateError fromError, PeriodDateError toError)
    {
        var choice = StatementPeriods.Parse("custom", from, to, Today);
        Assert.False(choice.IsValid);
        Assert.Equal(PeriodKind.Custom, choice.Kind);
        Assert.Equal((fromError, toError), (choice.FromError, choice.ToError));
    }

    [Theory]
    [InlineData("year")]
    [InlineData("month,week")]
    [InlineData("1")]
    [InlineData("今日")]
    public void An_unknown_period_name_is_refused(string period)
    {
        var choice = StatementPeriods.Parse(period, null, null, Today);
        Assert.False(choice.IsValid);
        Assert.Equal(PeriodKindError.Unknown, choice.KindError);
    }

    [Fact]
    public void A_very_long_value_is_malformed_not_an_exception()
    {
        var choice = StatementPeriods.Parse("custom", new string('9', 100_000), "2026-01-01", Today);
        Assert.Equal(PeriodDateError.Malformed, choice.FromError);
    }
}
