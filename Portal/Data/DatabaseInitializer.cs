using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Admin;
using Portal.Banking;
using Portal.Banking.PayEasy;
using Portal.Domain;
using Portal.Domain.Notices;
using Portal.Identity;

namespace Portal.Data;

/// <summary>Brings the database to the current migration and, in Development, fills it with demo data.</summary>
public sealed class DatabaseInitializer(
    PortalDbContext db,
    Ledger ledger,
    UserManager<PortalUser> users,
    RoleManager<IdentityRole> roles,
    TimeProvider clock,
    ILogger<DatabaseInitializer> logger)
{
    /// <summary>Demo customers; README lists the same IDs and passwords.</summary>
    public static readonly IReadOnlyList<(string LoginId, string Password, string Name)> DemoCustomers =
    [
        ("kitashin01", "Kitashin-01", "北 新太郎"),
        ("kitashin02", "Kitashin-02", "南 花子"),
        ("kitashin03", "Kitashin-03", "東 一郎"),
    ];

    /// <summary>The demo customers' representative accounts: 口座名義 and 口座番号, in the order above.</summary>
    private static readonly IReadOnlyList<(string HolderKana, string Number)> DemoAccounts =
    [
        ("キタ シンタロウ", "1234567"),
        ("ミナミ ハナコ", "2345678"),
        ("ヒガシ イチロウ", "3456789"),
    ];

    /// <summary>Any fixed number: every portal instance takes the same PostgreSQL advisory lock.</summary>
    private const long StartupLockKey = 0x4B49_5441_5348_494E; // "KITASHIN"

    /// <summary>The demo admin; README lists it. Admin pages open once its own OTP is 利用中.</summary>
    public static readonly (string LoginId, string Password, string Name) DemoAdmin = ("admin01", "Kitashin-Admin1", "本店 管理者");

    public async Task InitializeAsync(bool seedDemoData, CancellationToken cancellationToken = default)
    {
        // EF's own migration lock is not enough on PostgreSQL when several migrations are pending: two instances
        // starting together both applied the second one. One session-level advisory lock around migrate and seed
        // makes the second instance wait and then find nothing to do. SQLite has one writer anyway.
        if (db.Database.IsNpgsql()) await CreateDatabaseIfMissingAsync(db.Database.GetConnectionString()!, cancellationToken);
        await using var startupLock = db.Database.IsNpgsql() ? await TakeStartupLockAsync(cancellationToken) : null;
        await db.Database.MigrateAsync(cancellationToken);
        if (seedDemoData) await SeedDemoDataAsync(cancellationToken);
    }

    /// <summary>
    /// A new PostgreSQL server has no portal database yet, and the advisory lock needs a connection to it before
    /// migrations could create it: create it from the server's maintenance database, or say exactly what is missing.
    /// </summary>
    private async Task CreateDatabaseIfMissingAsync(string connectionString, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString);
        try
        {
            await using var probe = new NpgsqlConnection(connectionString);
            await probe.OpenAsync(cancellationToken);
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            logger.LogWarning("Database {Database} does not exist; creating it.", target.Database);
        }

        var maintenance = new NpgsqlConnectionStringBuilder(connectionString) { Database = "postgres", Pooling = false };
        try
        {
            await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
            await connection.OpenAsync(cancellationToken);
            var quoted = "\"" + target.Database!.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quoted}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another instance starting at the same moment created it first. When both CREATE DATABASE statements
            // run at once, the loser gets a unique violation on pg_database's name index rather than 42P04.
        }
        catch (PostgresException e)
        {
            throw new InvalidOperationException(
                $"The portal's database \"{target.Database}\" does not exist on {target.Host}:{target.Port}, and user " +
                $"\"{target.Username}\" could not create it ({e.SqlState}: {e.MessageText}). Create it first " +
                $"(CREATE DATABASE \"{target.Database}\" OWNER \"{target.Username}\"), or grant that user CREATEDB.", e);
        }
    }

    private async Task<NpgsqlConnection> TakeStartupLockAsync(CancellationToken cancellationToken)
    {
        // Not pooled: a pooled connection's session outlives Dispose (Npgsql resets it only when it is next used),
        // and with it the lock, so another instance waited until its start-up timed out.
        var unpooled = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false };
        var connection = new NpgsqlConnection(unpooled.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", StartupLockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return connection; // closing the session releases the lock
    }

    /// <summary>A demo customer's registered address: kitashin01@example.jp (example.jp is reserved for examples).</summary>
    public static string DemoEmail(string loginId) => loginId + "@example.jp";

    private async Task SeedDemoDataAsync(CancellationToken cancellationToken)
    {
        foreach (var (loginId, password, name) in DemoCustomers)
        {
            // The registered address (the bank's record), where every security notice goes; given to a database seeded before it.
            var email = DemoEmail(loginId);
            if (await users.FindByNameAsync(loginId) is { } existing)
            {
                if (existing.Email is null) await users.SetEmailAsync(existing, email);
                continue;
            }
            var result = await users.CreateAsync(new PortalUser { UserName = loginId, DisplayName = name, Email = email, EmailConfirmed = true }, password);
            // Another instance starting at the same moment may have created it first: that is fine.
            if (!result.Succeeded && result.Errors.All(e => e.Code != nameof(IdentityErrorDescriber.DuplicateUserName)))
                throw new InvalidOperationException($"Demo customer {loginId}: {string.Join(", ", result.Errors.Select(e => e.Description))}");
        }

        if (!await roles.RoleExistsAsync(AdminAccess.Role)) await roles.CreateAsync(new IdentityRole(AdminAccess.Role));
        if (await users.FindByNameAsync(DemoAdmin.LoginId) is null)
        {
            var admin = new PortalUser { UserName = DemoAdmin.LoginId, DisplayName = DemoAdmin.Name };
            if ((await users.CreateAsync(admin, DemoAdmin.Password)).Succeeded) await users.AddToRoleAsync(admin, AdminAccess.Role);
        }

        await SeedDemoAccountsAsync(cancellationToken);
        await DemoBills.SeedAsync(db, JapanTime.Today(clock), cancellationToken);

        if (await db.Notices.AnyAsync(cancellationToken)) return;
        var today = JapanTime.Today(clock);
        db.Notices.AddRange(DemoNotices(today));
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Seeded demo customers and notices.");
    }

    /// <summary>Each demo customer's representative account with 13 months of history, once.</summary>
    private async Task SeedDemoAccountsAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < DemoCustomers.Count; i++)
        {
            var user = await users.FindByNameAsync(DemoCustomers[i].LoginId);
            if (user is null || await db.Accounts.AnyAsync(a => a.UserId == user.Id, cancellationToken)) continue;
            var account = await ledger.OpenAsync(user.Id, DemoAccounts[i].HolderKana, DemoAccounts[i].Number, cancellationToken);
            await DemoLedger.SeedAsync(db, account.Id, DemoLedger.Generate(seed: i + 1, JapanTime.Today(clock)), cancellationToken);
        }
    }

    private static IEnumerable<Notice> DemoNotices(DateOnly today) =>
    [
        new()
        {
            PublishedOn = today.AddDays(-3), EndsOn = today.AddMonths(3),
            Title = "ワンタイムパスワードのご利用をおすすめします",
            Body = "不正送金の被害を防ぐため、ソフトウェアトークンによるワンタイムパスワードのご利用をおすすめします。\nメニュー画面の「ワンタイムパスワード申請」からお手続きいただけます。",
        },
        new()
        {
            PublishedOn = today.AddDays(-20), EndsOn = today.AddMonths(1),
            Title = "年末年始のサービス休止について",
            Body = "システムメンテナンスのため、12月31日 21時から1月1日 6時までインターネットバンキングのすべてのサービスを休止いたします。\nご不便をおかけしますが、ご理解くださいますようお願い申し上げます。",
        },
        new()
        {
            PublishedOn = today.AddDays(-45), EndsOn = today.AddDays(10),
            Title = "当金庫を装った不審なメールにご注意ください",
            Body = "当金庫がメールでログインパスワードやワンタイムパスワードをお尋ねすることはありません。\n不審なメールを受け取られた場合は、リンクを開かずに削除してください。",
        },
        new()
        {
            PublishedOn = today.AddMonths(-6), EndsOn = today.AddMonths(-3),
            Title = "税金・各種料金の払込み（ペイジー）の取扱い開始について",
            Body = "インターネットバンキングで税金・各種料金の払込み（ペイジー）がご利用いただけるようになりました。",
        },
        new()
        {
            PublishedOn = today.AddYears(-1), EndsOn = today.AddMonths(-10),
            Title = "ログイン画面のデザイン変更について",
            Body = "より見やすく、安全にご利用いただけるよう、ログイン画面のデザインを変更しました。",
        },
    ];
}
