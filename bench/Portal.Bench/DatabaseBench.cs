using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Portal.Admin;
using Portal.Banking;
using Portal.Data;
using Portal.Domain;
using Portal.Domain.Auditing;
using Portal.Domain.Banking;
using Portal.Domain.Otp;
using Portal.Identity;

namespace Portal.Bench;

/// <summary>
/// The admin OTP status list over 100,000 customers and the statement of an account with 100,000 entries, on
/// PostgreSQL: how long one page takes, and what it allocates. Its own database, kitashin_bench.
/// </summary>
internal sealed class DatabaseBench(string server, bool reuse, Report report)
{
    private const int Customers = 100_000;
    private const int Entries = 100_000;
    private readonly DbContextOptions<PostgresPortalDbContext> _options = new DbContextOptionsBuilder<PostgresPortalDbContext>()
        .UseNpgsql(new NpgsqlConnectionStringBuilder(server) { Database = "kitashin_bench" }.ConnectionString).Options;

    public async Task RunAsync()
    {
        if (!reuse)
            await using (var admin = new NpgsqlConnection(server))
            {
                await admin.OpenAsync();
                await new NpgsqlCommand("DROP DATABASE IF EXISTS kitashin_bench WITH (FORCE)", admin).ExecuteNonQueryAsync();
                await new NpgsqlCommand("CREATE DATABASE kitashin_bench", admin).ExecuteNonQueryAsync();
            }
        // On a reused seed this applies a new migration (an index being tried).
        await using (var db = new PostgresPortalDbContext(_options)) await db.Database.MigrateAsync();
        if (!reuse)
        {
            var seeding = Stopwatch.StartNew();
            await SeedCustomersAsync();
            await SeedLedgerAsync();
            // A bank's database has planner statistics and a visibility map: autovacuum sees to both within a minute of
            // a bulk load. Without them the timings measure a planner guessing, not the queries.
            await using (var db = new PostgresPortalDbContext(_options)) await db.Database.ExecuteSqlRawAsync("VACUUM ANALYZE");
            report.Note($"Seeded {Customers:N0} customers and {Entries:N0} ledger entries in {seeding.Elapsed.TotalSeconds:F0} s.");
        }
        await AdminListAsync();
        await StatementAsync();
        // The seed's pages written out now, so that the checkpointer does not write them during the rows measured next.
        try
        {
            await using var db = new PostgresPortalDbContext(_options);
            await db.Database.ExecuteSqlRawAsync("CHECKPOINT");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            report.Note("CHECKPOINT after the admin rows was refused (the bench's user needs pg_checkpoint): the seed was written out by PostgreSQL's own checkpoints.");
        }
    }

    private async Task AdminListAsync()
    {
        var queries = new AdminOtpQueries(new Factory(_options), TimeProvider.System,
            Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.Identity.IdentityOptions()));
        var cases = new (string Name, CustomerOtpQuery Query)[]
        {
            ("first page, by login ID", new()),
            ("status 利用中, by issue date desc", new(Status: RegistrationStatus.InUse, SortBy: CustomerOtpSort.IssuedAt, Descending: true)),
            ("search by login ID part", new(Search: "c0123")),
            ("search by name part", new(Search: "試験 0999")),
            ("page 2,000 of 5,000", new(Page: 1_999)),
            ("failures desc, 100 a page", new(SortBy: CustomerOtpSort.Failures, Descending: true, PageSize: 100)),
        };
        var table = report.Detail("admin list query (100,000 customers)");
        var worst = (Name: "", P95: 0.0);
        foreach (var (name, query) in cases)
        {
            var p95 = await TimeAsync(table, name, () => queries.ListAsync(query));
            if (p95 > worst.P95) worst = (name, p95);
        }
        report.Row("admin list p95 over 100,000 customers (6 queries, 20 calls each)", $"slowest: {worst.Name}, {worst.P95:F1} ms",
            "—", "every query ≤ 100 ms", worst.P95 <= 100);
    }

    private async Task StatementAsync()
    {
        var statements = new AccountStatements(new Factory(_options), TimeProvider.System);
        var today = JapanTime.Today(TimeProvider.System);
        var month = StatementPeriods.Fixed(PeriodKind.Month, today);
        var year = new StatementPeriod(PeriodKind.Custom, StatementPeriods.Earliest(today), today);
        var monthPages = (await statements.GetTotalsAsync(LedgerUserId, month)).Count / 20;
        var yearPages = (await statements.GetTotalsAsync(LedgerUserId, year)).Count / 20;
        var table = report.Detail($"statement query (one account, {Entries:N0} entries)");
        await TimeAsync(table, "1か月: totals (count, お支払・お預り合計)", () => statements.GetTotalsAsync(LedgerUserId, month));
        await TimeAsync(table, "1か月: first page (20)", () => statements.GetPageAsync(LedgerUserId, month, 0, 20));
        await TimeAsync(table, $"1か月: page {monthPages / 2:N0} of {monthPages:N0}", () => statements.GetPageAsync(LedgerUserId, month, monthPages / 2, 20));
        await TimeAsync(table, $"1か月: last page ({monthPages:N0})", () => statements.GetPageAsync(LedgerUserId, month, monthPages - 1, 20));
        await TimeAsync(table, "13 months: totals", () => statements.GetTotalsAsync(LedgerUserId, year));
        await TimeAsync(table, "13 months: first page", () => statements.GetPageAsync(LedgerUserId, year, 0, 20));
        await TimeAsync(table, $"13 months: page {yearPages / 2:N0} of {yearPages:N0}", () => statements.GetPageAsync(LedgerUserId, year, yearPages / 2, 20));
        await TimeAsync(table, $"CSV of 1か月 ({monthPages * 20:N0}+ lines, formatted)", async () =>
        {
            await using var writer = new StreamWriter(Stream.Null);
            await foreach (var line in statements.StreamAsync(LedgerUserId, month)) await writer.WriteLineAsync(StatementCsv.Row(line));
        });
    }

    /// <summary>3 warm-up calls, then 20 timed ones; a line of the detail table; the p95.</summary>
    private static async Task<double> TimeAsync(List<string> table, string name, Func<Task> call)
    {
        long allocated = 0;
        var times = await Timing.MillisecondsAsync(async i =>
        {
            // Process-wide and precise: an await may resume on another thread.
            var before = GC.GetTotalAllocatedBytes(precise: true);
            await call();
            if (i >= 0) allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
        }, timed: 20);
        var p95 = Timing.Percentile(times, 0.95);
        table.Add($"| {name} | {Timing.Median(times):F1} | {p95:F1} | {allocated / 20 / 1024:N0} |");
        return p95;
    }

    private const string LedgerUserId = "bench-ledger";

    private async Task SeedCustomersAsync()
    {
        var now = DateTimeOffset.UtcNow;
        const int Batch = 5_000;
        for (var start = 0; start < Customers; start += Batch)
        {
            await using var db = new PostgresPortalDbContext(_options);
            for (var n = start; n < Math.Min(start + Batch, Customers); n++)
            {
                var loginId = $"c{n:D6}";
                var user = new PortalUser
                {
                    UserName = loginId, NormalizedUserName = loginId.ToUpperInvariant(), DisplayName = $"試験 {n:D5}",
                    SecurityStamp = Guid.NewGuid().ToString(), AccessFailedCount = n % 7 == 0 ? n % 5 : 0,
                };
                db.Users.Add(user);
                // A bank some way into adoption: 30 % 利用中, 10 % 申請済, the rest 未登録.
                if (n % 10 >= 6) continue;
                var issuedAt = now.AddDays(-(n % 300));
                var issue = TokenIssue.Create(user.Id, "KITASHIN", $"{loginId}@docomo.ne.jp", "hash", Guid.NewGuid().ToString("N"),
                    n % 10 < 3 ? issuedAt : now.AddDays(-1), TokenIssue.DefaultLifetime);
                db.TokenIssues.Add(issue);
                // The ユーザID is 10 random digits and unique: 60,000 random ones collide in about one seed of six.
                db.Entry(issue).Property(i => i.TokenUserId).CurrentValue = $"{n:D10}";
                var registration = OtpRegistration.For(user.Id, issuedAt);
                registration.Issue(issue.Id, issuedAt);
                if (n % 10 < 3)
                {
                    issue.Activate(true, issuedAt.AddMinutes(5), "bench", null, "protected");
                    registration.StartUse(issuedAt.AddMinutes(10));
                    db.AuditEntries.Add(AuditEntry.Record(now.AddHours(-(n % 200)), user.Id, AuditActors.Customer,
                        AuditEvents.SignInOtp, AuditEvents.Succeeded, "10.0.0.1"));
                }
                db.OtpRegistrations.Add(registration);
            }
            await db.SaveChangesAsync();
        }
    }

    /// <summary>One account with 100,000 entries in 13 months (a busy account: ~7,700 a month).</summary>
    private async Task SeedLedgerAsync()
    {
        await using (var db = new PostgresPortalDbContext(_options))
        {
            db.Users.Add(new PortalUser { Id = LedgerUserId, UserName = "ledger", NormalizedUserName = "LEDGER", DisplayName = "試験 口座", SecurityStamp = "x" });
            await db.SaveChangesAsync();
        }
        var ledger = new Ledger(new Factory(_options), TimeProvider.System, NullLogger<Ledger>.Instance);
        var account = await ledger.OpenAsync(LedgerUserId, "シケン コウザ");
        await using (var db = new PostgresPortalDbContext(_options))
            await DemoLedger.SeedAsync(db, account.Id, DemoLedger.Dense(Entries, JapanTime.Today(TimeProvider.System)));
    }

    private sealed class Factory(DbContextOptions<PostgresPortalDbContext> options) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => new PostgresPortalDbContext(options);
    }
}
