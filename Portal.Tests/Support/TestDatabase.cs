using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Data;

namespace Portal.Tests.Support;

/// <summary>
/// A fresh database on the real PostgreSQL that scripts/test starts (PORTAL_TEST_POSTGRES names its server).
/// Each fixture gets its own, so tests never see each other's rows.
/// </summary>
public sealed class TestDatabase : IAsyncLifetime
{
    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("PORTAL_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                "PORTAL_TEST_POSTGRES is not set. Run the tests with scripts/test, which starts PostgreSQL for them.");

    public string Name { get; } = "kp_" + Guid.NewGuid().ToString("N")[..16];

    public string ConnectionString => new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = Name }.ConnectionString;

    public async ValueTask InitializeAsync()
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{Name}\"", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A context on this database, for tests that arrange or inspect rows directly.</summary>
    public PostgresPortalDbContext CreateContext() =>
        new(new DbContextOptionsBuilder<PostgresPortalDbContext>().UseNpgsql(ConnectionString).Options);

    public IDbContextFactory<PortalDbContext> CreateFactory() => new Factory(this);

    /// <summary>Takes the database away (every connection cut, none allowed), as an outage would, or gives it back.</summary>
    public async Task AllowConnectionsAsync(bool allow)
    {
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        var sql = allow
            ? $"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS true"
            : $"ALTER DATABASE \"{Name}\" ALLOW_CONNECTIONS false; SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{Name}'";
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
        NpgsqlConnection.ClearAllPools();
    }

    public async Task MigrateAsync()
    {
        await using var db = CreateContext();
        await db.Database.MigrateAsync();
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private sealed class Factory(TestDatabase database) : IDbContextFactory<PortalDbContext>
    {
        public PortalDbContext CreateDbContext() => database.CreateContext();
    }
}

/// <summary>A migrated <see cref="TestDatabase"/> as a class fixture.</summary>
public sealed class MigratedDatabase : IAsyncLifetime
{
    public TestDatabase Database { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await Database.InitializeAsync();
        await Database.MigrateAsync();
    }

    public ValueTask DisposeAsync() => Database.DisposeAsync();
}
