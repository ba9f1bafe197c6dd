using Microsoft.Data.Sqlite;

namespace Portal.Tests.Support;

/// <summary>Tests of the whole portal on the embedded default, SQLite (its own migration set), on a file of their own.</summary>
public abstract class SqlitePortalTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"kitashin-sqlite-{Guid.NewGuid():N}.db");

    protected SqlitePortalTests() =>
        Portal = new PortalFactory().With("Database:Provider", "Sqlite").With("ConnectionStrings:Portal", $"Data Source={_file}");

    protected PortalFactory Portal { get; }
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => Portal.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await Portal.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
        GC.SuppressFinalize(this);
    }
}
