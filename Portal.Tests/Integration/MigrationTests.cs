using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

public class MigrationTests
{
    [Fact]
    public void Both_migration_sets_match_the_model()
    {
        // A model change without a new migration for each provider fails here.
        using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        using var postgres = new PostgresDesignTimeFactory().CreateDbContext([]);
        Assert.False(sqlite.Database.HasPendingModelChanges(), "SQLite migrations are behind the model");
        Assert.False(postgres.Database.HasPendingModelChanges(), "PostgreSQL migrations are behind the model");
        Assert.NotEmpty(sqlite.Database.GetMigrations());
        Assert.Equal(sqlite.Database.GetMigrations().Count(), postgres.Database.GetMigrations().Count());
    }

    [Fact]
    public async Task Two_instances_starting_on_the_same_new_database_at_once_both_succeed()
    {
        await using var database = new TestDatabase();
        await database.InitializeAsync();
        await using var first = PortalFactory.On(database);
        await using var second = PortalFactory.On(database);

        // Building the host runs the start-up initialisation: migrations and the demo seed.
        first.With("Seed:DemoData", "true");
        second.With("Seed:DemoData", "true");
        await Task.WhenAll(Task.Run(() => first.Services), Task.Run(() => second.Services));

        await using var check = database.CreateContext();
        Assert.Empty(await check.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        // Each demo user once, though both instances seeded.
        Assert.Equal(DatabaseInitializer.DemoCustomers.Count + 1, await check.Users.CountAsync(TestContext.Current.CancellationToken));
        Assert.Equal(5, await check.Notices.CountAsync(TestContext.Current.CancellationToken));
    }
}
