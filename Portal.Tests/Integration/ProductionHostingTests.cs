using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>Production behind a TLS-terminating proxy: HTTPS enforced, HSTS, Secure cookies, keys encrypted at rest.</summary>
public class ProductionHostingTests(ProductionPortal production) : IClassFixture<ProductionPortal>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private HttpClient Client(string baseAddress) => production.CreateClient(new WebApplicationFactoryClientOptions
    {
        AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri(baseAddress),
    });

    [Fact]
    public async Task Plain_http_is_sent_to_https_but_the_health_probe_is_answered()
    {
        using var http = Client("http://portal.test/");
        var page = await http.GetAsync("/login", Cancel);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, page.StatusCode);
        Assert.Equal("https://portal.test/login", page.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/healthz", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Over_https_pages_answer_with_hsts_and_only_secure_cookies()
    {
        using var https = Client("https://portal.test/");
        var page = await https.GetAsync("/login", Cancel);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("max-age=31536000", page.Headers.GetValues("Strict-Transport-Security").Single());
        var cookies = page.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_request_for_a_host_not_listed_in_AllowedHosts_is_refused()
    {
        using var evil = Client("https://evil.localhost/");
        Assert.Equal(HttpStatusCode.BadRequest, (await evil.GetAsync("/login", Cancel)).StatusCode);
        using var https = Client("https://portal.test/");
        Assert.Equal(HttpStatusCode.OK, (await https.GetAsync("/login", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Data_protection_keys_are_encrypted_at_rest_with_the_configured_certificate()
    {
        using var https = Client("https://portal.test/");
        Assert.Equal(HttpStatusCode.OK, (await https.GetAsync("/login", Cancel)).StatusCode); // the antiforgery token needs a key
        await using var db = production.Database.CreateContext();
        var keys = await db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync(Cancel);
        Assert.NotEmpty(keys);
        Assert.All(keys, xml =>
        {
            Assert.Contains("EncryptedData", xml);
            Assert.DoesNotContain("<masterKey", xml);
        });
    }
}

public class ProductionStartupTests
{
    [Fact]
    public async Task Production_without_a_key_certificate_refuses_to_start_and_says_what_is_missing()
    {
        await using var portal = new PortalFactory().With("environment", "Production").With("DataProtection:CertificatePath", "");
        await portal.InitializeAsync();
        var error = Assert.ThrowsAny<Exception>(() => portal.Services);
        Assert.Contains("DataProtection:CertificatePath", Messages(error));
    }

    [Theory]
    [InlineData("Otp:PublicBaseUrl", "")]
    [InlineData("Otp:PublicBaseUrl", "/relative/")]
    [InlineData("AllowedHosts", "*")]
    [InlineData("AllowedHosts", "")]
    public async Task Production_without_the_public_base_or_the_host_list_refuses_to_start_and_says_which(string key, string value)
    {
        await using var portal = new PortalFactory().With("environment", "Production").With(key, value);
        await portal.InitializeAsync();
        var error = Assert.ThrowsAny<Exception>(() => portal.Services);
        Assert.Contains(key + " is required outside Development", Messages(error));
    }

    [Fact]
    public async Task In_Development_an_empty_public_base_means_the_development_address()
    {
        await using var portal = new PortalFactory().With("Otp:PublicBaseUrl", "");
        await portal.InitializeAsync();
        Assert.Equal("http://localhost:5080/token/?code=x",
            portal.Services.GetRequiredService<Portal.Mail.MailLinks>().Under("token/?code=x").AbsoluteUri);
    }

    [Fact]
    public async Task On_a_new_server_the_portal_creates_its_database()
    {
        var database = new TestDatabase(); // named, never created
        try
        {
            await using var portal = PortalFactory.On(database);
            using var client = portal.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);
            await using var db = database.CreateContext();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        }
        finally
        {
            await database.DisposeAsync();
        }
    }

    /// <summary>Found by the production smoke test: two CREATE DATABASE at once fail the loser with a unique violation.</summary>
    [Fact]
    public async Task Instances_starting_together_on_a_new_server_all_start_on_the_database_one_of_them_created()
    {
        var database = new TestDatabase(); // named, never created
        var portals = Enumerable.Range(0, 3).Select(_ => PortalFactory.On(database)).ToList();
        try
        {
            await Task.WhenAll(portals.Select(portal => Task.Run(() => portal.Services)));
            foreach (var portal in portals)
            {
                using var client = portal.CreateClient();
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz", TestContext.Current.CancellationToken)).StatusCode);
            }
        }
        finally
        {
            foreach (var portal in portals) await portal.DisposeAsync();
            await database.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_user_who_may_not_create_the_database_is_told_exactly_what_is_missing()
    {
        var role = "kp_nocreate_" + Guid.NewGuid().ToString("N")[..8];
        await ServerAsync($"CREATE ROLE {role} LOGIN NOCREATEDB");
        try
        {
            var connection = new NpgsqlConnectionStringBuilder(TestDatabase.ServerConnectionString)
            {
                Database = "kp_missing_" + Guid.NewGuid().ToString("N")[..8], Username = role,
            };
            await using var portal = new PortalFactory().With("ConnectionStrings:Portal", connection.ConnectionString);
            await portal.InitializeAsync();
            var error = Assert.ThrowsAny<Exception>(() => portal.Services);
            var messages = Messages(error);
            Assert.Contains($"\"{connection.Database}\" does not exist", messages);
            Assert.Contains($"CREATE DATABASE \"{connection.Database}\" OWNER \"{role}\"", messages);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await ServerAsync($"DROP ROLE IF EXISTS {role}");
        }
    }

    private static string Messages(Exception error) =>
        string.Join(" | ", Enumerable.Repeat(error, 1).Concat(Inner(error)).Select(e => e.Message));

    private static IEnumerable<Exception> Inner(Exception error)
    {
        for (var e = error.InnerException; e is not null; e = e.InnerException) yield return e;
        if (error is AggregateException aggregate) foreach (var e in aggregate.InnerExceptions) yield return e;
    }

    private static async Task ServerAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ServerConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

/// <summary>Forwarded headers from the configured proxies only: the rate limit counts real clients and cannot be dodged.</summary>
public class ForwardedHeadersTests
{
    private static async Task<HttpStatusCode[]> DownloadChecksAsync(PortalFactory portal, params string[] forwardedFor)
    {
        using var http = new HttpClient { BaseAddress = portal.StartOnKestrel() };
        var answers = new List<HttpStatusCode>();
        foreach (var client in forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/token/download?code=nothing");
            request.Headers.Add("X-Forwarded-For", client);
            answers.Add((await http.SendAsync(request, TestContext.Current.CancellationToken)).StatusCode);
        }
        return [.. answers];
    }

    [Fact]
    public async Task Behind_a_trusted_proxy_each_real_client_has_its_own_limit()
    {
        await using var portal = new PortalFactory().With("Proxy:TrustedProxies:0", "127.0.0.1").With("Otp:ActivationRequestsPerMinute", "3");
        await portal.InitializeAsync();
        var answers = await DownloadChecksAsync(portal, "198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.1", "198.51.100.2");
        Assert.Equal([HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.TooManyRequests, HttpStatusCode.NotFound], answers);
    }

    [Fact]
    public async Task From_anyone_else_a_rotating_forwarded_address_does_not_dodge_the_limit()
    {
        await using var portal = new PortalFactory().With("Otp:ActivationRequestsPerMinute", "3");
        await portal.InitializeAsync();
        var answers = await DownloadChecksAsync(portal, "198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4");
        Assert.Equal(HttpStatusCode.TooManyRequests, answers[^1]);
    }
}
