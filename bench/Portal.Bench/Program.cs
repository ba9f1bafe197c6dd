using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Microsoft.Extensions.Logging.Abstractions;
using Portal.Admin;
using Portal.Banking;
using Portal.Domain;
using Portal.Domain.Banking;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Identity;

// The admin OTP status list over 100,000 customers and the statement of an account with 100,000 entries, on PostgreSQL:
// how long one page takes, and what it allocates.
// Usage: bench/run (starts a private PostgreSQL, then runs this with its connection string).
var server = args.Length > 0 ? args[0] : throw new ArgumentException("connection string to a PostgreSQL server");
const int Customers = 100_000;
var database = new NpgsqlConnectionStringBuilder(server) { Database = "kitashin_bench" }.ConnectionString;

// --reuse: time the queries again on the database the last run seeded (for trying a query change quickly).
var reuse = args.Contains("--reuse");
var options = new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(database).Options;
if (!reuse)
{
    await using (var admin = new NpgsqlConnection(server))
    {
        await admin.OpenAsync();
        await new NpgsqlCommand("DROP DATABASE IF EXISTS kitashin_bench WITH (FORCE)", admin).ExecuteNonQueryAsync();
        await new NpgsqlCommand("CREATE DATABASE kitashin_bench", admin).ExecuteNonQueryAsync();
    }
    await using (var db = new PostgresPortalDbContext(options)) await db.Database.MigrateAsync();

    var seeding = Stopwatch.StartNew();
    await SeedAsync(options, Customers);
    Console.WriteLine($"Seeded {Customers:N0} customers in {seeding.Elapsed.TotalSeconds:F1} s");
    // A bank's database has planner statistics (autovacuum gathers them within a minute of a bulk load); without them
    // the first timings measure a planner guessing, not the queries.
    await using (var db = new PostgresPortalDbContext(options)) await db.Database.ExecuteSqlRawAsync("ANALYZE");
}

var queries = new AdminOtpQueries(new Factory(options), TimeProvider.System,
    Microsoft.Extensions.Options.Options.Create(new Microsoft.AspNetCore.Identity.IdentityOptions()));
var cases = new (string Name, CustomerOtpQuery Query)[]
{
    ("first page, by login ID", new()),
    ("status 利用中, by issue date desc", new(Status: RegistrationStatus.InUse, SortBy: CustomerOtpSort.IssuedAt, Descending: true)),
    ("search by login ID part", new(Search: "c0123")),
    ("search by name part", new(Search: "試験 0999")),
    ("page 2,000 of 5,000", new(Page: 2_000)),
    ("failures desc, 100 a page", new(SortBy: CustomerOtpSort.Failures, Descending: true, PageSize: 100)),
};

Console.WriteLine();
Console.WriteLine("| admin list query (100,000 customers) | median ms | p95 ms | allocated KB / call |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
foreach (var (name, query) in cases) await TimeAsync(name, () => queries.ListAsync(query));

// 【代表口座の入出金】 over one account with 100,000 entries in 13 months (a busy account: ~7,700 a month).
const int Entries = 100_000;
var statements = new AccountStatements(new Factory(options), TimeProvider.System);
var benchUserId = "bench-ledger";
var today = JapanTime.Today(TimeProvider.System);
if (!reuse)
{
    var seeding = Stopwatch.StartNew();
    await using (var db = new PostgresPortalDbContext(options))
    {
        db.Users.Add(new PortalUser { Id = benchUserId, UserName = "ledger", NormalizedUserName = "LEDGER", DisplayName = "試験 口座", SecurityStamp = "x" });
        await db.SaveChangesAsync();
    }
    var ledger = new Ledger(new Factory(options), TimeProvider.System, NullLogger<Ledger>.Instance);
    var account = await ledger.OpenAsync(benchUserId, "シケン コウザ");
    await using (var db = new PostgresPortalDbContext(options))
    {
        await DemoLedger.SeedAsync(db, account.Id, DemoLedger.Dense(Entries, today));
        await db.Database.ExecuteSqlRawAsync("ANALYZE");
    }
    Console.WriteLine($"Seeded {Entries:N0} ledger entries in {seeding.Elapsed.TotalSeconds:F1} s");
}
var month = StatementPeriods.Fixed(PeriodKind.Month, today);
var year = new StatementPeriod(PeriodKind.Custom, StatementPeriods.Earliest(today), today);
var monthPages = (await statements.GetTotalsAsync(benchUserId, month)).Count / 20;
var yearPages = (await statements.GetTotalsAsync(benchUserId, year)).Count / 20;

Console.WriteLine();
Console.WriteLine($"| statement query (one account, {Entries:N0} entries) | median ms | p95 ms | allocated KB / call |");
Console.WriteLine("| --- | ---: | ---: | ---: |");
await TimeAsync("1か月: totals (count, お支払・お預り合計)", () => statements.GetTotalsAsync(benchUserId, month));
await TimeAsync("1か月: first page (20)", () => statements.GetPageAsync(benchUserId, month, 0, 20));
await TimeAsync($"1か月: page {monthPages / 2:N0} of {monthPages:N0} (deep in the period)", () => statements.GetPageAsync(benchUserId, month, monthPages / 2, 20));
await TimeAsync($"1か月: last page ({monthPages:N0})", () => statements.GetPageAsync(benchUserId, month, monthPages - 1, 20));
await TimeAsync("13 months: totals", () => statements.GetTotalsAsync(benchUserId, year));
await TimeAsync("13 months: first page", () => statements.GetPageAsync(benchUserId, year, 0, 20));
await TimeAsync($"13 months: page {yearPages / 2:N0} of {yearPages:N0}", () => statements.GetPageAsync(benchUserId, year, yearPages / 2, 20));
await TimeAsync($"CSV of 1か月 ({monthPages * 20:N0}+ lines, formatted)", async () =>
{
    await using var writer = new StreamWriter(Stream.Null);
    await foreach (var line in statements.StreamAsync(benchUserId, month)) await writer.WriteLineAsync(StatementCsv.Row(line));
});

// 3 warm-up calls (plans, pools, JIT), then 20 timed ones.
static async Task TimeAsync(string name, Func<Task> call)
{
    try
    {
        for (var i = 0; i < 3; i++) await call();
        var times = new List<double>();
        long allocated = 0;
        for (var i = 0; i < 20; i++)
        {
            // Process-wide and precise: an await may resume on another thread.
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            await call();
            times.Add(watch.Elapsed.TotalMilliseconds);
            allocated += GC.GetTotalAllocatedBytes(precise: true) - before;
        }
        times.Sort();
        Console.WriteLine($"| {name} | {times[times.Count / 2]:F1} | {times[(int)(times.Count * 0.95) - 1]:F1} | {allocated / 20 / 1024:N0} |");
    }
    catch (Exception ex) when (ex.InnerException is NpgsqlException or TimeoutException || ex is NpgsqlException)
    {
        Console.WriteLine($"| {name} | timed out (> 30 s) | | |");
    }
}

static async Task SeedAsync(DbContextOptions<PostgresPortalDbContext> options, int customers)
{
    var now = DateTimeOffset.UtcNow;
    const int Batch = 5_000;
    for (var start = 0; start < customers; start += Batch)
    {
        await using var db = new PostgresPortalDbContext(options);
        for (var n = start; n < Math.Min(start + Batch, customers); n++)
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

internal sealed class Factory(DbContextOptions<PostgresPortalDbContext> options) : IDbContextFactory<PortalDbContext>
{
    public PortalDbContext CreateDbContext() => new PostgresPortalDbContext(options);
}
