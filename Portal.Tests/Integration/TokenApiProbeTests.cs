using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Otp;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>
/// The real portal in one environment, with one customer whose token is 申請済, so that probes can name a real ユーザID.
/// In memory, so that every answer is seen even where Kestrel would close the connection on an oversized upload
/// (<see cref="TokenApiUploadLimitTests"/> covers that). The rate limit is set out of the way: the corpus must reach the API.
/// </summary>
public abstract class ProbePortal(string environment) : IAsyncLifetime
{
    public PortalFactory Portal { get; } = new PortalFactory()
        .With("environment", environment)
        .With("Otp:ActivationRequestsPerMinute", "1000000");

    public HttpClient Client { get; private set; } = default!;
    public string TokenUserId { get; private set; } = "";
    public string Baseline { get; private set; } = "";

    public async ValueTask InitializeAsync()
    {
        await Portal.InitializeAsync();
        // HTTPS as in production, where the portal's cookies demand it.
        Client = Portal.CreateClient(new WebApplicationFactoryClientOptions
        {
            AllowAutoRedirect = false, HandleCookies = false, BaseAddress = new Uri("https://localhost/"),
        });
        var customer = await Portal.CreateCustomerAsync();
        await using (var scope = Portal.Services.CreateAsyncScope())
        {
            var issued = await scope.ServiceProvider.GetRequiredService<OtpEnrollment>().IssueTokenAsync(customer.UserId,
                new IssueTokenInput($"p{Guid.NewGuid():N}"[..12] + "@docomo.ne.jp", "1234", "1234"), null);
            Assert.True(issued.Succeeded);
        }
        await using var db = Portal.Database.CreateContext();
        TokenUserId = (await db.TokenIssues.SingleAsync()).TokenUserId;
        Baseline = await StateAsync();
    }

    /// <summary>Everything a token request could change, in one line.</summary>
    public async Task<string> StateAsync()
    {
        await using var db = Portal.Database.CreateContext();
        return $"audit {await db.AuditEntries.CountAsync()}, issues {await db.TokenIssues.CountAsync()}, " +
            $"failures {await db.TokenIssues.SumAsync(i => i.FailedActivations)}, activated {await db.TokenIssues.CountAsync(i => i.ActivatedAt != null)}, " +
            $"registrations {await db.OtpRegistrations.CountAsync()}, statuses {string.Join(",", await db.OtpRegistrations.Select(r => r.Status).ToListAsync())}, " +
            $"used steps {await db.UsedOtpSteps.CountAsync()}";
    }

    public async ValueTask DisposeAsync()
    {
        Client?.Dispose();
        await Portal.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class DevelopmentProbePortal() : ProbePortal("Development");

public sealed class ProductionProbePortal() : ProbePortal("Production");

/// <summary>
/// SPEC 4 "Bad input": no malformed request to the token API yields a server error, in any environment. Each gets a
/// 4xx with a short Japanese message in JSON, and changes nothing.
/// </summary>
public abstract class TokenApiProbeTests(ProbePortal portal)
{
    [Fact]
    public void The_corpus_has_at_least_three_hundred_probes() => Assert.True(TokenApiProbeCorpus.Probes.Count >= 300);

    [Theory]
    [MemberData(nameof(TokenApiProbeCorpus.Names), MemberType = typeof(TokenApiProbeCorpus))]
    public async Task A_malformed_request_gets_a_4xx_json_message_and_changes_nothing(string probe)
    {
        var p = TokenApiProbeCorpus.Probes[probe];
        using var request = new HttpRequestMessage(p.Method, p.Path) { Content = p.Content?.Invoke(portal.TokenUserId) };
        using var response = await portal.Client.SendAsync(request, TestContext.Current.CancellationToken);

        Assert.Equal(p.Expected, response.StatusCode);
        ErrorResponseAssert.HasSecurityHeaders(response);
        var message = await ErrorResponseAssert.JsonMessageAsync(response);
        Assert.InRange(message.Length, 1, 100);
        Assert.Contains(message, c => c is >= '\u3040' and <= '\u30FF' or >= '\u4E00' and <= '\u9FFF');
        Assert.Equal(portal.Baseline, await portal.StateAsync());
    }
}

public sealed class TokenApiProbesInDevelopment(DevelopmentProbePortal portal)
    : TokenApiProbeTests(portal), IClassFixture<DevelopmentProbePortal>;

public sealed class TokenApiProbesInProduction(ProductionProbePortal portal)
    : TokenApiProbeTests(portal), IClassFixture<ProductionProbePortal>;
