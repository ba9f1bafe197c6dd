using Portal.Domain.Banking;

namespace Portal.Tests.Domain;

public class LedgerArithmeticTests
{
    [Fact]
    public void Money_is_whole_yen_with_thousands_separators_and_refuses_to_overflow()
    {
        Assert.Equal("12,345", new Money(12_345).Digits());
        Assert.Equal("0", Money.Zero.Digits());
        Assert.Equal("1,000,000,000", new Money(1_000_000_000).Digits());
        Assert.Equal(new Money(-300), new Money(200) - new Money(500));
        Assert.Equal(new Money(300), new Money(-300).Abs());
        Assert.Throws<OverflowException>(() => new Money(long.MaxValue) + new Money(1));
    }

    [Fact]
    public void A_posting_moves_the_balance_and_may_empty_it_but_never_below_zero()
    {
        Assert.Equal((PostingError.None, new Money(7_000)), Posting.Apply(new Money(10_000), new Money(-3_000)));
        Assert.Equal((PostingError.None, Money.Zero), Posting.Apply(new Money(10_000), new Money(-10_000)));
        Assert.Equal((PostingError.InsufficientFunds, new Money(10_000)), Posting.Apply(new Money(10_000), new Money(-10_001)));
        Assert.Equal((PostingError.None, new Money(10_500)), Posting.Apply(new Money(10_000), new Money(500)));
    }

    [Theory]
    [InlineData(0, "給与", PostingError.ZeroAmount)]
    [InlineData(100, "", PostingError.DescriptionRequired)]
    [InlineData(100, "   ", PostingError.DescriptionRequired)]
    [InlineData(-100, "12345678901234567890123456789012345678901", PostingError.DescriptionTooLong)]
    [InlineData(-100, "口座振替　電気料金", PostingError.None)]
    public void A_posting_needs_an_amount_and_a_description(long amount, string description, PostingError expected) =>
        Assert.Equal(expected, Posting.CheckInput(new Money(amount), description));

    [Fact]
    public void A_running_balance_is_consistent_only_when_every_line_adds_up_and_stays_at_or_above_zero()
    {
        Assert.True(Posting.IsConsistent([(1_000, 1_000), (-400, 600), (-600, 0), (50, 50)]));
        Assert.False(Posting.IsConsistent([(1_000, 1_000), (-400, 700)]));
        Assert.False(Posting.IsConsistent([(100, 100), (-200, -100)]));
        Assert.False(Posting.IsConsistent([(100, 100), (0, 100)]));
    }

    [Fact]
    public void Totals_sum_what_was_paid_and_received_separately()
    {
        var totals = StatementTotals.Of([250_000, -8_000, -12_345, 5_000]);
        Assert.Equal(new StatementTotals(4, new Money(20_345), new Money(255_000)), totals);
        Assert.Equal(StatementTotals.None, StatementTotals.Of([]));
    }

    [Fact]
    public void An_entry_shows_its_amount_in_one_column()
    {
        var debit = new LedgerEntry { Description = "ＡＴＭ　出金", Amount = -20_000, BalanceAfter = 5_000 };
        Assert.Equal((new Money(20_000), Money.Zero), (debit.Paid, debit.Received));
        var credit = new LedgerEntry { Description = "給与", Amount = 250_000, BalanceAfter = 255_000 };
        Assert.Equal((Money.Zero, new Money(250_000)), (credit.Paid, credit.Received));
    }

    [Fact]
    public void Thirteen_months_of_demo_history_is_realistic_deterministic_and_never_overdrawn()
    {
        var today = new DateOnly(2026, 11, 24);
        var bookings = Portal.Banking.DemoLedger.Generate(seed: 1, today);
        Assert.Equal(bookings, Portal.Banking.DemoLedger.Generate(seed: 1, today));
        Assert.Contains(bookings, b => b.Description.StartsWith("給与", StringComparison.Ordinal));
        Assert.Contains(bookings, b => b.Description.StartsWith("口座振替", StringComparison.Ordinal));
        Assert.Contains(bookings, b => b.Description.StartsWith("ＡＴＭ", StringComparison.Ordinal));
        Assert.Contains(bookings, b => b.Description.StartsWith("カード", StringComparison.Ordinal));
        Assert.Contains(bookings, b => b.Description.StartsWith("振込", StringComparison.Ordinal));
        Assert.All(bookings, b => Assert.Equal(PostingError.None, Posting.CheckInput(new Money(b.Amount), b.Description)));
        var earliest = new StatementPeriod(PeriodKind.Custom, StatementPeriods.Earliest(today), today);
        Assert.All(bookings, b => Assert.True(earliest.Contains(b.At)));
        var balance = Money.Zero;
        foreach (var booking in bookings.OrderBy(b => b.At))
        {
            var (error, after) = Posting.Apply(balance, new Money(booking.Amount));
            Assert.Equal(PostingError.None, error); // the salary always covers the month
            balance = after;
        }
    }
}
