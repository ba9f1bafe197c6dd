using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Banking;
using Portal.Data;
using Portal.Domain.Banking;
using Portal.Identity;

namespace Portal.Tests.Integration;

/// <summary>The same posting rule on the embedded default: SQLite, its own migration set.</summary>
public sealed class SqliteLedgerTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"kitashin-ledger-{Guid.NewGuid():N}.db");
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private SqlitePortalDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<SqlitePortalDbContext>().UseSqlite($"Data Source={_file}").Options);

    public async ValueTask InitializeAsync()
    {
        await using var db = CreateContext();
        await db.Database.MigrateAsync();
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
        return ValueTask.CompletedTask;
    }

    private sealed class Factory(SqliteLedgerTests owner) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => owner.CreateContext();
    }

    [Fact]
    public async Task Racing_debits_on_sqlite_book_what_the_balance_covers_and_never_overdraw()
    {
        await using (var db = CreateContext())
        {
            db.Users.Add(new PortalUser { Id = "u1", UserName = "sqlite01", NormalizedUserName = "SQLITE01", DisplayName = "試験" });
            await db.SaveChangesAsync(Cancel);
        }
        var ledger = new Ledger(new Factory(this), TimeProvider.System, NullLogger<Ledger>.Instance);
        var account = await ledger.OpenAsync("u1", "シケン", cancellationToken: Cancel);
        Assert.Equal(PostingOutcome.Posted, (await ledger.PostAsync(account.Id, new Money(10_000), "給与", DateTimeOffset.UtcNow, Cancel)).Outcome);

        var results = await Task.WhenAll(Enumerable.Range(0, 5).Select(i =>
            Task.Run(() => ledger.PostAsync(account.Id, new Money(-3_000), $"払込み {i}", DateTimeOffset.UtcNow, Cancel), Cancel)));

        Assert.Equal(3, results.Count(r => r.Posted));
        Assert.All(results.Where(r => !r.Posted), r => Assert.Equal(PostingOutcome.InsufficientFunds, r.Outcome));
        await using var check = CreateContext();
        var entries = await check.LedgerEntries.OrderBy(e => e.Id).Select(e => new { e.Amount, e.BalanceAfter }).ToListAsync(Cancel);
        Assert.Equal(1_000, await check.Accounts.Select(a => a.Balance).SingleAsync(Cancel));
        Assert.True(Posting.IsConsistent(entries.Select(e => (e.Amount, e.BalanceAfter))));
        Assert.Equal(1_000, entries.Sum(e => e.Amount));
    }
}
