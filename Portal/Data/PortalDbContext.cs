using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Portal.Domain.Notices;
using Portal.Identity;

namespace Portal.Data;

/// <summary>
/// The one model of the portal. Each database provider has a subclass only so that it can carry its own
/// migration set (Data/Migrations/Sqlite, Data/Migrations/Postgres); see docs/decisions/0001.
/// </summary>
public abstract class PortalDbContext(DbContextOptions options)
    : IdentityDbContext<PortalUser>(options), IDataProtectionKeyContext
{
    public DbSet<Notice> Notices => Set<Notice>();
    public DbSet<SignInTicket> SignInTickets => Set<SignInTicket>();
    public DbSet<PortalSession> PortalSessions => Set<PortalSession>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);

        builder.Entity<PortalUser>(user =>
        {
            user.Property(u => u.DisplayName).HasMaxLength(100);
        });

        builder.Entity<Notice>(notice =>
        {
            notice.Property(n => n.Title).HasMaxLength(200);
            notice.Property(n => n.Body).HasMaxLength(4000);
            notice.HasIndex(n => n.EndsOn);
        });

        builder.Entity<SignInTicket>(ticket =>
        {
            ticket.Property(t => t.SecretHash).HasMaxLength(64);
            ticket.HasIndex(t => t.SecretHash).IsUnique();
            ticket.Property(t => t.Factors).HasMaxLength(32);
            ticket.HasIndex(t => t.ExpiresAt);
            ticket.HasOne<PortalUser>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        builder.Entity<PortalSession>(session =>
        {
            session.HasIndex(s => s.UserId);
            session.Property(s => s.EndReason).HasMaxLength(32);
            session.Property(s => s.RemoteAddress).HasMaxLength(64);
            session.Property(s => s.UserAgent).HasMaxLength(512);
            session.HasOne<PortalUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

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

/// <summary>Lets services ask for the provider-neutral context whichever provider is configured.</summary>
internal sealed class PortalDbContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<PortalDbContext>
    where TContext : PortalDbContext
{
    public PortalDbContext CreateDbContext() => inner.CreateDbContext();
}
