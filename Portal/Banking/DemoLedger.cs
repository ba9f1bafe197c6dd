using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain;
using Portal.Domain.Banking;

namespace Portal.Banking;

/// <summary>One booking of demo history, before it has a balance.</summary>
public sealed record DemoBooking(DateTimeOffset At, string Description, long Amount);

/// <summary>
/// Realistic demo history for a representative account: 給与 on the 25th, 口座振替 for utilities, card bills, ATM,
/// 振込 in and out, over 13 months. Deterministic for a seed, so screenshots are stable. Development and tests only.
/// </summary>
public static class DemoLedger
{
    public static IReadOnlyList<DemoBooking> Generate(int seed, DateOnly today, int months = StatementPeriods.MonthsBack)
    {
        var random = new Random(seed);
        var salary = 240_000 + seed % 5 * 18_000;
        var bookings = new List<DemoBooking>();
        var start = today.AddMonths(-months);
        void Book(DateOnly day, int hour, int minute, string description, long amount) =>
            bookings.Add(new(new DateTimeOffset(day.ToDateTime(new TimeOnly(hour, minute)), JapanTime.Offset).ToUniversalTime(), description, amount));

        Book(start, 9, 0, "新規口座開設　お預入れ", 300_000 + random.Next(0, 20) * 10_000);
        for (var day = start.AddDays(1); day <= today; day = day.AddDays(1))
        {
            var weekday = day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
            if (day.Day == PayDay(day)) Book(day, 9, 0, "給与　キタシン商事", salary + random.Next(0, 30) * 500);
            if (day.Day == PayDay(day) && day.Month is 6 or 12) Book(day, 9, 0, "賞与　キタシン商事", salary * 2 + random.Next(0, 20) * 1_000);
            if (day.Day == 5) Book(day, 10, 0, "口座振替　電気料金", -(5_800 + random.Next(0, 7_500) + (day.Month is 1 or 2 or 8 ? 4_000 : 0)));
            if (day.Day == 8) Book(day, 10, 0, "口座振替　ガス料金", -(3_200 + random.Next(0, 4_200) + (day.Month is 12 or 1 or 2 ? 2_500 : 0)));
            if (day.Day == 12 && day.Month % 2 == 0) Book(day, 10, 0, "口座振替　水道料金", -(4_800 + random.Next(0, 2_200)));
            if (day.Day == 20) Book(day, 10, 0, "口座振替　携帯電話料金", -(4_400 + random.Next(0, 3_800)));
            if (day.Day == 27) Book(day, 11, 0, "カード　キタシンカード", -(25_000 + random.Next(0, 65_000)));
            if (day.Day == 26) Book(day, 13, 15, "振込　ヤマダ不動産（家賃）", -68_000);
            if (weekday && random.Next(0, 10) == 0)
                Book(day, 8 + random.Next(0, 12), random.Next(0, 60), "ＡＴＭ　出金", -10_000 * random.Next(1, 5));
            if (random.Next(0, 60) == 0) Book(day, 12, random.Next(0, 60), "ＡＴＭ　入金", 10_000 * random.Next(1, 10));
            if (random.Next(0, 45) == 0) Book(day, 14, random.Next(0, 60), "振込　ミナミ　ハナコ", 5_000 * random.Next(1, 8));
            if (weekday && random.Next(0, 12) == 0) Book(day, 18, random.Next(0, 60), "デビット　キタシンスーパー", -(800 + random.Next(0, 9_000)));
        }
        return bookings;
    }

    /// <summary>
    /// <paramref name="count"/> bookings spread evenly over the last 13 months (a busy account, for the benchmark).
    /// </summary>
    public static IEnumerable<DemoBooking> Dense(int count, DateOnly today)
    {
        var start = JapanTime.StartOf(StatementPeriods.Earliest(today));
        var step = (JapanTime.StartOf(today) - start) / count;
        var random = new Random(count);
        yield return new DemoBooking(start, "新規口座開設　お預入れ", 5_000_000);
        for (var i = 1; i < count; i++)
        {
            var amount = random.Next(0, 3) == 0 ? 1_000L * random.Next(1, 300) : -100L * random.Next(1, 2_000);
            yield return new DemoBooking(start + step * i, amount > 0 ? "振込　カ）キタシンショウジ" : "カード　キタシンカード", amount);
        }
    }

    /// <summary>
    /// Books demo history on a new, empty account in one transaction: running balances computed here, debits that would
    /// overdraw left out, the account's balance set to the last one only if it was still zero.
    /// </summary>
    public static async Task<Money> SeedAsync(PortalDbContext db, long accountId, IEnumerable<DemoBooking> bookings,
        CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var balance = Money.Zero;
        var pending = 0;
        foreach (var booking in bookings.OrderBy(b => b.At))
        {
            var (error, after) = Posting.Apply(balance, new Money(booking.Amount));
            if (error != PostingError.None) continue;
            balance = after;
            db.LedgerEntries.Add(new LedgerEntry
            {
                AccountId = accountId, At = booking.At, Description = booking.Description, Amount = booking.Amount, BalanceAfter = balance.Yen,
            });
            if (++pending < 5_000) continue;
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            pending = 0;
        }
        await db.SaveChangesAsync(cancellationToken);
        var changed = await db.Accounts.Where(a => a.Id == accountId && a.Balance == 0)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.Balance, balance.Yen).SetProperty(a => a.Version, a => a.Version + 1), cancellationToken);
        if (changed != 1) throw new InvalidOperationException("Demo history goes only on a new, empty account.");
        await transaction.CommitAsync(cancellationToken);
        return balance;
    }

    /// <summary>給与 day: the 25th, or the Friday before when it falls on a weekend.</summary>
    private static int PayDay(DateOnly day)
    {
        var payDay = new DateOnly(day.Year, day.Month, 25);
        return payDay.DayOfWeek switch
        {
            DayOfWeek.Saturday => 24,
            DayOfWeek.Sunday => 23,
            _ => 25,
        };
    }
}
