using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

public static class PortRequests
{
    /// <summary>
    /// A GET as it arrives on a port of the server: the in-memory server has no sockets, so the test names the port the
    /// connection came in on, and the Host header a client might write.
    /// </summary>
    public static async Task<(int Status, string Body)> GetOnPortAsync(this PortalFactory portal, string path, int localPort,
        string host = "portal.test", string scheme = "http")
    {
        var context = await portal.Server.SendAsync(c =>
        {
            c.Request.Method = HttpMethods.Get;
            c.Request.Scheme = scheme;
            c.Request.Path = path;
            c.Request.Host = new HostString(host);
            c.Connection.LocalPort = localPort;
        }, TestContext.Current.CancellationToken);
        using var reader = new StreamReader(context.Response.Body);
        return (context.Response.StatusCode, await reader.ReadToEndAsync(TestContext.Current.CancellationToken));
    }
}

/// <summary>The portal with its Prometheus scrape endpoint on a management port, on a controlled clock.</summary>
public sealed class ObservedPortal : PortalFactory
{
    public const int MetricsPort = 9464;

    public ObservedPortal()
    {
        Clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        With("Observability:MetricsPort", MetricsPort.ToString(CultureInfo.InvariantCulture));
    }

    public DateTimeOffset Now => Clock!.GetUtcNow();

    /// <summary>The sign-in counter for one step and outcome, summed over its series, read from the scrape endpoint.</summary>
    public async Task<double> SignInsAsync(string step, string outcome)
    {
        var (status, body) = await this.GetOnPortAsync("/metrics", MetricsPort);
        Assert.Equal(StatusCodes.Status200OK, status);
        return Regex.Matches(body, @"^kitashin_sign_ins_total\{(?<labels>[^}]*)\} (?<value>\S+)", RegexOptions.Multiline)
            .Where(m => m.Groups["labels"].Value.Contains($"outcome=\"{outcome}\"") && m.Groups["labels"].Value.Contains($"step=\"{step}\""))
            .Sum(m => double.Parse(m.Groups["value"].Value, CultureInfo.InvariantCulture));
    }
}

/// <summary>
/// Alone, not beside other test classes. This portal's OpenTelemetry provider takes in the same-named meters of every
/// portal started or stopped in the process meanwhile (Kitashin.Portal, ASP.NET Core's, Npgsql's): it merges them into
/// one stream, stops that stream when one of them is disposed (open-telemetry/opentelemetry-dotnet#6412) and counts each
/// toward its limit of 1,000 streams. In the parallel run the scraped sign-in counter once failed to move. Run alone, the
/// provider sees only this portal's meters, as it does in production (one portal per process).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservedPortalCollection
{
    public const string Name = "observed-portal";
}

[Collection(ObservedPortalCollection.Name)]
public class ObservabilityTests(ObservedPortal portal) : IClassFixture<ObservedPortal>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<PasswordCheckResult> PasswordAsync(string loginId, string password)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PasswordSignIn>().CheckAsync(loginId, password, "203.0.113.7", Cancel);
    }

    private async Task<PasswordCheckResult> CodeAsync(PendingOtpSignIn pending, string code)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PasswordSignIn>().CheckOtpAsync(pending, code, "203.0.113.7", Cancel);
    }

    private IEnumerable<CapturedLog> LinesOf(string userId, int eventId) =>
        portal.Logs.Lines.Where(l => l.EventId.Id == eventId && Equals(l["UserId"], userId));

    [Fact]
    public async Task A_failed_sign_in_is_logged_with_its_event_id_and_moves_the_counter_on_the_scrape_endpoint()
    {
        var customer = await portal.CreateCustomerAsync();
        var before = await portal.SignInsAsync("password", "failed");

        Assert.Equal(PasswordCheckOutcome.Failed, (await PasswordAsync(customer.LoginId, "Wrong-pass-1")).Outcome);

        var line = Assert.Single(LinesOf(customer.UserId, LogEvents.SignInFailed));
        Assert.Equal(nameof(LogEvents.SignInFailed), line.EventId.Name);
        Assert.Equal("203.0.113.7", line["SourceAddress"]);
        // Other fixtures' portals in this process may count too: the counter moved by at least this failure.
        Assert.True(await portal.SignInsAsync("password", "failed") >= before + 1);
    }

    [Fact]
    public async Task No_log_line_of_a_sign_in_holds_a_password_a_code_or_the_mail_address()
    {
        var enrolled = await portal.CreateEnrolledCustomerAsync(portal.Now);
        var customer = enrolled.Customer;
        var usedCode = TokenHelpers.CodeAt(enrolled.Token, portal.Now); // spent by the start of use
        var wrongCode = TokenHelpers.CodeAt(enrolled.Token, portal.Now.AddMinutes(5));
        const string wrongPassword = "Wrong-pass-7Qx";

        Assert.Equal(PasswordCheckOutcome.Failed, (await PasswordAsync(customer.LoginId, wrongPassword)).Outcome);
        var password = await PasswordAsync(customer.LoginId, customer.Password);
        Assert.Equal(PasswordCheckOutcome.OtpRequired, password.Outcome);
        Assert.Equal(PasswordCheckOutcome.Failed, (await CodeAsync(password.Pending!, wrongCode)).Outcome);
        Assert.Equal(PasswordCheckOutcome.Failed, (await CodeAsync(password.Pending!, usedCode)).Outcome);

        // The events are there, with the customer's opaque ID ...
        Assert.Single(LinesOf(customer.UserId, LogEvents.OtpRefused));
        Assert.Single(LinesOf(customer.UserId, LogEvents.OtpReplayRefused));
        Assert.Equal(2, LinesOf(customer.UserId, LogEvents.SignInFailed).Count(l => l["Step"] is SignInStep.Code));
        Assert.Single(LinesOf(customer.UserId, LogEvents.TokenIssued));
        Assert.Single(LinesOf(customer.UserId, LogEvents.TokenActivated));
        // ... and nothing a customer typed or was sent, in any line this portal logged.
        var digitsAlone = (string code) => new Regex($@"(?<!\d){code}(?!\d)");
        Assert.All(portal.Logs.Lines, l =>
        {
            Assert.DoesNotContain(wrongPassword, l.Text);
            Assert.DoesNotContain(customer.Password, l.Text);
            Assert.DoesNotContain(enrolled.Mobile, l.Text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(digitsAlone(usedCode), l.Text);
            Assert.DoesNotMatch(digitsAlone(wrongCode), l.Text);
        });
    }

    [Fact]
    public async Task The_scrape_endpoint_answers_on_the_management_port_only_whatever_the_Host_header_says()
    {
        var (status, body) = await portal.GetOnPortAsync("/metrics", ObservedPortal.MetricsPort);
        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Contains("# TYPE", body);
        // Nothing else of the portal answers on the management port.
        Assert.Equal(StatusCodes.Status404NotFound, (await portal.GetOnPortAsync("/login", ObservedPortal.MetricsPort)).Status);

        using var client = portal.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/metrics", Cancel)).StatusCode);
        // A client can write any Host header; the port the connection came in on is what counts.
        Assert.Equal(StatusCodes.Status404NotFound,
            (await portal.GetOnPortAsync("/metrics", localPort: 443, host: $"portal.test:{ObservedPortal.MetricsPort}")).Status);
    }
}

/// <summary>The portal as production runs it (with the test key certificate), without a metrics port configured.</summary>
public sealed class ProductionPortal : PortalFactory
{
    public ProductionPortal() => With("environment", "Production");
}

public class ProductionObservabilityTests(ProductionPortal portal) : IClassFixture<ProductionPortal>
{
    [Fact]
    public async Task Outside_Development_the_console_writes_JSON_and_without_a_metrics_port_nothing_is_scraped()
    {
        Assert.Equal("Production", portal.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostEnvironment>().EnvironmentName);
        Assert.Equal(ConsoleFormatterNames.Json,
            portal.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);

        // Over HTTPS, as production is reached: plain HTTP would only be redirected.
        Assert.Equal(StatusCodes.Status404NotFound, (await portal.GetOnPortAsync("/metrics", ObservedPortal.MetricsPort, scheme: "https")).Status);
    }
}
