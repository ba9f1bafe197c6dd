using System.Diagnostics;
using System.Net;
using Microsoft.Data.Sqlite;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>
/// The newcomer's command, `dotnet run --project Portal`, on nothing but the SDK: SQLite is created, migrated and
/// seeded, and the portal serves its login screen.
/// </summary>
public class EmbeddedDefaultTests
{
    [Fact]
    public async Task The_portal_starts_on_the_embedded_sqlite_default_with_demo_data()
    {
        var cancel = TestContext.Current.CancellationToken;
        var root = ChildProcess.RepositoryRoot();
        var dataDirectory = Directory.CreateTempSubdirectory("kitashin-sqlite-").FullName;
        var port = ChildProcess.FreePort();
        var start = new ProcessStartInfo("dotnet",
            ["run", "--project", Path.Combine(root, "Portal"), "--no-build", "--no-launch-profile", "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = root,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["Storage__DataDirectory"] = dataDirectory;
        start.Environment.Remove("Database__Provider");
        start.Environment.Remove("ConnectionStrings__Portal");

        var portal = ChildProcess.Start(start);
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            await portal.WaitHealthyAsync(new Uri(http.BaseAddress, "/healthz"), TimeSpan.FromSeconds(90), http);

            var login = await http.GetStringAsync("/login", cancel);
            Assert.Contains("ログインID", WebUtility.HtmlDecode(login));

            var database = Path.Combine(dataDirectory, "portal.db");
            Assert.True(File.Exists(database));
            await using var sqlite = new SqliteConnection($"Data Source={database};Mode=ReadOnly");
            await sqlite.OpenAsync(cancel);
            Assert.Equal(3L, await ScalarAsync(sqlite, "SELECT COUNT(*) FROM AspNetUsers WHERE UserName LIKE 'kitashin0%'"));
            Assert.True(await ScalarAsync(sqlite, "SELECT COUNT(*) FROM Notices") >= 5);
            // Each demo customer's representative account, 13 months of history, its balance the sum of its entries.
            Assert.Equal(3L, await ScalarAsync(sqlite, "SELECT COUNT(*) FROM Accounts"));
            Assert.True(await ScalarAsync(sqlite, "SELECT COUNT(*) FROM LedgerEntries") > 3 * 120);
            Assert.Equal(0L, await ScalarAsync(sqlite,
                "SELECT COUNT(*) FROM Accounts a WHERE a.Balance <> (SELECT SUM(e.Amount) FROM LedgerEntries e WHERE e.AccountId = a.Id)"));
        }
        finally
        {
            await portal.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    private static async Task<long> ScalarAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
