using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portal.Data;
using Portal.Domain;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Bench;

/// <summary>A customer the bench signs in: login ID, password and user ID.</summary>
internal sealed record BenchCustomer(string LoginId, string Password, string UserId);

/// <summary>A 申請済 issue for the token app: the link's code, サービスID, ユーザID and 利用開始パスワード.</summary>
internal sealed record BenchIssue(string DownloadCode, string ServiceId, string TokenUserId, string ActivationPassword);

/// <summary>
/// The portal in this process, in Production, on its own database kitashin_portal (created and migrated by the portal
/// itself, as at a first start), for the rows measured through its services: sign-in and the OTP claim. The browser
/// rows use the published portal as a process of its own on the same database.
/// </summary>
internal sealed class InProcessPortal : WebApplicationFactory<Program>
{
    public const string Database = "kitashin_portal";
    private readonly Dictionary<string, string> _settings;

    private InProcessPortal(Dictionary<string, string> settings) => _settings = settings;

    public string ConnectionString => _settings["ConnectionStrings:Portal"];

    public static async Task<InProcessPortal> StartAsync(string server)
    {
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand($"DROP DATABASE IF EXISTS {Database} WITH (FORCE)", admin).ExecuteNonQueryAsync();
        }
        var portal = new InProcessPortal(Settings(server));
        _ = portal.Services; // starts it: creates and migrates the database
        return portal;
    }

    /// <summary>Production settings for an instance of the portal on this machine (also the published one's).</summary>
    public static Dictionary<string, string> Settings(string server) => new()
    {
        ["Database:Provider"] = "Postgres",
        ["ConnectionStrings:Portal"] = new NpgsqlConnectionStringBuilder(server) { Database = Database }.ConnectionString,
        ["DataProtection:CertificatePath"] = TestCertificate.PfxPath,
        ["DataProtection:CertificatePassword"] = TestCertificate.Password,
        ["Storage:DataDirectory"] = Directory.CreateTempSubdirectory("kitashin-bench-").FullName,
        // Required outside Development (issue 20): the in-process client asks for localhost, the browser for 127.0.0.1.
        ["AllowedHosts"] = "localhost;127.0.0.1",
        ["Otp:PublicBaseUrl"] = "https://localhost/",
    };

    /// <summary>The same portal on the same database with one setting changed (a new host).</summary>
    public InProcessPortal With(string key, string value) => new(new Dictionary<string, string>(_settings) { [key] = value });

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        // The console would print a JSON line per sign-in into the bench's output.
        builder.ConfigureLogging(logging => logging.ClearProviders());
    }

    public HttpClient NewClient() => CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost"),
    });

    /// <summary>Customers made through Identity (each password hashed once).</summary>
    public async Task<List<BenchCustomer>> CreateCustomersAsync(string prefix, int count)
    {
        var customers = new List<BenchCustomer>();
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        for (var n = 0; n < count; n++)
        {
            var user = new PortalUser { UserName = $"{prefix}{n:D5}", DisplayName = $"試験 {prefix}{n}" };
            var password = $"Bench-{prefix}-{n}";
            var result = await users.CreateAsync(user, password);
            if (!result.Succeeded) throw new InvalidOperationException(string.Join(", ", result.Errors.Select(e => e.Description)));
            customers.Add(new(user.UserName, password, user.Id));
        }
        return customers;
    }

    /// <summary>申請済 customers whose download link the bench knows (the mail is not read: the issue is made here).</summary>
    public async Task<List<BenchIssue>> IssueTokensAsync(int count)
    {
        var customers = await CreateCustomersAsync("t", count);
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PortalDbContext>();
        var hasher = scope.ServiceProvider.GetRequiredService<IPasswordHasher<TokenIssue>>();
        var now = DateTimeOffset.UtcNow;
        var issues = new List<BenchIssue>();
        foreach (var customer in customers)
        {
            var code = Secrets.NewUrlSafe();
            var issue = TokenIssue.Create(customer.UserId, "KITASHIN", $"{customer.LoginId}@docomo.ne.jp", "", Secrets.Hash(code), now,
                TokenIssue.DefaultLifetime);
            issue.SetActivationPasswordHash(hasher.HashPassword(issue, "1234"));
            var registration = OtpRegistration.For(customer.UserId, now);
            registration.Issue(issue.Id, now);
            db.TokenIssues.Add(issue);
            db.OtpRegistrations.Add(registration);
            issues.Add(new(code, issue.ServiceId, issue.TokenUserId, "1234"));
        }
        await db.SaveChangesAsync();
        return issues;
    }
}
