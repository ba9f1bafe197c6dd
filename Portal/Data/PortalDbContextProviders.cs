using Microsoft.EntityFrameworkCore;
using Portal.Domain.Otp;

namespace Portal.Data;

// The provider subclasses (each carries its own migration set, docs/decisions/0001) and the small types around the model.

public sealed class PostgresPortalDbContext(DbContextOptions<PostgresPortalDbContext> options)
    : PortalDbContext(options);

public sealed class SqlitePortalDbContext(DbContextOptions<SqlitePortalDbContext> options) : PortalDbContext(options)
{
    // SQLite cannot compare or order DateTimeOffset in SQL; stored as UTC ticks it can, and every value we write is UTC.
    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        builder.Properties<DateTimeOffset>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
        builder.Properties<DateTimeOffset?>().HaveConversion<Microsoft.EntityFrameworkCore.Storage.ValueConversion.DateTimeOffsetToBinaryConverter>();
    }
}

/// <summary>A row of <see cref="PortalDbContext.TokensInUse"/>.</summary>
public sealed class TokenInUse
{
    public required string UserId { get; init; }
    public required TokenIssue Issue { get; init; }

    /// <summary>When use of this token started (利用開始): the new-token limit counts from here.</summary>
    public required DateTimeOffset StartedAt { get; init; }
}

/// <summary>Lets services ask for the provider-neutral context whichever provider is configured.</summary>
internal sealed class PortalDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PortalDbContext>
    where TContext : PortalDbContext
{
    public PortalDbContext CreateDbContext() => inner.CreateDbContext();
}
