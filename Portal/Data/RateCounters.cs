using Microsoft.EntityFrameworkCore;
using Portal.Domain.Throttling;

namespace Portal.Data;

/// <summary>Attempts under one key (a kind of limit and a source address) in one fixed window.</summary>
public sealed class RateCounter
{
    public required string Key { get; set; }
    public DateTimeOffset WindowStart { get; set; }
    public int Count { get; set; }
}

/// <summary>What <see cref="RateCounters.CountAsync"/> answers: within the limit, or refused until when.</summary>
public sealed record RateCount(bool Allowed, TimeSpan RetryAfter = default);

/// <summary>
/// Limits per key counted in the database, so every instance of the portal counts into the same rows and N instances
/// give an address the limit of one (docs/decisions/0014). One statement counts the attempt and reads the previous
/// window: an INSERT … ON CONFLICT DO UPDATE … RETURNING, the same SQL on PostgreSQL and SQLite. Used by the
/// sign-in throttle and the token API's limit.
/// </summary>
public sealed class RateCounters(IDbContextFactory<PortalDbContext> dbs, TimeProvider clock)
{
    /// <summary>How often windows that can no longer count are cleared away (as the sign-in tickets are).</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>The longest window any limit uses; counters older than two of them are swept.</summary>
    private static readonly TimeSpan LongestWindow = TimeSpan.FromMinutes(1);

    private long _nextSweepTicks;

    /// <summary>Counts one attempt under <paramref name="key"/> and tells whether it is within <paramref name="limit"/> per window.</summary>
    public async Task<RateCount> CountAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken = default)
    {
        if (window > LongestWindow) throw new ArgumentOutOfRangeException(nameof(window), "Counters are swept after two minutes.");
        var now = clock.GetUtcNow();
        var start = SlidingWindow.StartOf(now, window);
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await SweepWhenDueAsync(db, now, cancellationToken);
        var current = db.ProviderValue<RateCounter>(nameof(RateCounter.WindowStart), start);
        var previous = db.ProviderValue<RateCounter>(nameof(RateCounter.WindowStart), start - window);
        var counted = await db.Database.SqlQuery<Counted>($"""
            INSERT INTO "RateCounters" ("Key", "WindowStart", "Count") VALUES ({key}, {current}, 1)
            ON CONFLICT ("Key", "WindowStart") DO UPDATE SET "Count" = "RateCounters"."Count" + 1
            RETURNING "Count" AS "Current",
                COALESCE((SELECT p."Count" FROM "RateCounters" AS p WHERE p."Key" = {key} AND p."WindowStart" = {previous}), 0) AS "Previous"
            """).ToListAsync(cancellationToken);
        var row = counted.Single();
        return SlidingWindow.Refusal(row.Current, row.Previous, limit, now, window) is { } wait ? new(false, wait) : new(true);
    }

    /// <summary>At most once per <see cref="SweepInterval"/> in this instance (another instance sweeps as well: harmless).</summary>
    private async Task SweepWhenDueAsync(PortalDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, due) != due) return;
        var stale = now - 2 * LongestWindow;
        await db.RateCounters.Where(c => c.WindowStart < stale).ExecuteDeleteAsync(cancellationToken);
    }

    private sealed class Counted
    {
        public int Current { get; init; }
        public int Previous { get; init; }
    }
}

public static class ProviderValues
{
    /// <summary>
    /// A value as the provider stores it in <typeparamref name="TEntity"/>'s <paramref name="property"/>, for a parameter of
    /// raw SQL: on SQLite a DateTimeOffset is stored as binary ticks (<see cref="SqlitePortalDbContext"/>), and EF converts
    /// only the parameters of the queries it writes itself.
    /// </summary>
    public static object? ProviderValue<TEntity>(this PortalDbContext db, string property, object? value) =>
        db.Model.FindEntityType(typeof(TEntity))?.FindProperty(property)?.GetTypeMapping().Converter is { } converter
            ? converter.ConvertToProvider(value)
            : value;

    /// <summary>The instant without its sub-millisecond ticks (PostgreSQL keeps microseconds, SQLite's binary ticks less).</summary>
    public static DateTimeOffset WholeMilliseconds(this DateTimeOffset value) =>
        value.AddTicks(-(value.UtcTicks % TimeSpan.TicksPerMillisecond));
}
