using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Portal.Data;

namespace Portal.Hosting;

public static class DataHosting
{
    /// <summary>
    /// SQLite in the app's data folder unless <c>Database:Provider</c> is <c>Postgres</c>; Data Protection keys
    /// in the same database so every instance and restart reads them; /healthz checks the database.
    /// </summary>
    public static WebApplicationBuilder AddPortalData(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        var provider = config["Database:Provider"] ?? "Sqlite";
        var connectionString = config.GetConnectionString("Portal");

        if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Portal is empty.");
            services.AddDbContextFactory<PostgresPortalDbContext>(o => o.UseNpgsql(Tuned(connectionString)));
            UseContext<PostgresPortalDbContext>(services);
        }
        else if (provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                var dataDirectory = DataDirectory(builder);
                Directory.CreateDirectory(dataDirectory);
                connectionString = $"Data Source={Path.Combine(dataDirectory, "portal.db")}";
            }
            services.AddDbContextFactory<SqlitePortalDbContext>(o => o.UseSqlite(connectionString));
            UseContext<SqlitePortalDbContext>(services);
        }
        else
        {
            throw new InvalidOperationException($"Unknown Database:Provider '{provider}'. Use Sqlite or Postgres.");
        }

        var protection = services.AddDataProtection()
            .SetApplicationName("Kitashin.Portal")
            .PersistKeysToDbContext<PortalDbContext>();
        if (KeyCertificate(builder) is { } certificate)
        {
            // Decryption looks the certificate up in the machine's store, which a container does not have: name it.
            protection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }

        services.AddHealthChecks().AddDbContextCheck<PortalDbContext>("database");
        services.AddScoped<DatabaseInitializer>();
        services.AddSingleton<RateCounters>();
        return builder;
    }

    /// <summary>
    /// The certificate that encrypts the Data Protection keys at rest (they guard the OTP secrets), from
    /// DataProtection:CertificatePath (PKCS#12) and DataProtection:CertificatePassword. Required outside Development:
    /// keys stored in clear beside the secrets they protect would protect nothing against a copy of the database.
    /// </summary>
    private static X509Certificate2? KeyCertificate(WebApplicationBuilder builder)
    {
        var path = builder.Configuration["DataProtection:CertificatePath"];
        if (string.IsNullOrWhiteSpace(path))
        {
            if (builder.Environment.IsDevelopment()) return null;
            throw new InvalidOperationException(
                "DataProtection:CertificatePath is not set. Outside Development the portal encrypts its Data Protection keys " +
                "with a certificate (a PKCS#12 file; its password in DataProtection:CertificatePassword). See README, 'Running it like production'.");
        }
        return X509CertificateLoader.LoadPkcs12FromFile(Path.GetFullPath(path, builder.Environment.ContentRootPath),
            builder.Configuration["DataProtection:CertificatePassword"]);
    }

    /// <summary>The folder for the embedded database and other local files, relative to the content root.</summary>
    public static string DataDirectory(WebApplicationBuilder builder) =>
        Path.GetFullPath(builder.Configuration["Storage:DataDirectory"] ?? "App_Data", builder.Environment.ContentRootPath);

    private static void UseContext<TContext>(IServiceCollection services) where TContext : PortalDbContext
    {
        services.AddScoped<PortalDbContext>(sp => sp.GetRequiredService<TContext>());
        services.AddSingleton<IDbContextFactory<PortalDbContext>, PortalDbContextFactory<TContext>>();
    }

    /// <summary>
    /// Two defaults for the portal's pooled connections, each kept when the connection string sets it itself:
    /// - No reset on close. Npgsql resets a pooled connection with DISCARD ALL before its next use: a statement more for
    ///   every one the portal runs. The portal keeps no session state on pooled connections (the advisory lock of the
    ///   start-up migration has a connection of its own).
    /// - Automatic preparation. The portal runs the same few dozen statements all day (session check, sign-in, OTP
    ///   claim); prepared once per connection, PostgreSQL no longer parses and plans them on every call.
    /// </summary>
    private static string Tuned(string connectionString)
    {
        // Npgsql's builder knows every keyword; the plain one tells what the string itself sets.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var tuned = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose")) tuned.NoResetOnClose = true;
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare")) tuned.MaxAutoPrepare = AutoPreparedStatements;
        return tuned.ConnectionString;
    }

    /// <summary>Statements kept prepared per connection (least recently used go first); the portal has fewer than this.</summary>
    private const int AutoPreparedStatements = 128;

    /// <summary>
    /// Applies migrations, then seeds; on PostgreSQL under the initializer's advisory lock, because EF's own migration
    /// lock let two instances starting together both apply a migration (see DatabaseInitializer).
    /// </summary>
    public static async Task InitializePortalDatabaseAsync(this WebApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseInitializer>().InitializeAsync(
            seedDemoData: app.Configuration.GetValue<bool>("Seed:DemoData"));
    }

    public static WebApplication MapPortalHealth(this WebApplication app)
    {
        app.MapHealthChecks("/healthz", new Microsoft.AspNetCore.Diagnostics.HealthChecks.HealthCheckOptions
        {
            ResponseWriter = (context, report) =>
            {
                context.Response.ContentType = "application/json";
                return context.Response.WriteAsJsonAsync(new
                {
                    status = report.Status.ToString(),
                    checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
                });
            },
        }).AllowAnonymous();
        return app;
    }
}
