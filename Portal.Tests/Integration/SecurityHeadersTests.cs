using Microsoft.Extensions.DependencyInjection;
using Portal.Hosting;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

public class SecurityHeadersTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    [Theory]
    [InlineData("/login")]
    [InlineData("/token/")]
    [InlineData("/healthz")]
    [InlineData("/api/token/download?code=x")]
    public async Task Every_response_carries_the_security_headers(string path)
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        var csp = string.Join("", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Equal(SecurityHosting.ContentSecurityPolicy, csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        Assert.Contains("script-src 'self' 'wasm-unsafe-eval';", csp);
        Assert.DoesNotContain("unsafe-eval'", csp.Replace("wasm-unsafe-eval'", ""));
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join("", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", string.Join("", response.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task The_antiforgery_cookie_is_http_only_and_strict()
    {
        using var client = portal.CreateClient();
        var response = await client.GetAsync("/login", TestContext.Current.CancellationToken);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("kitashin.antiforgery="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// Nothing private is cached: the pipeline says no-store on every signed-in answer and every API answer (errors
    /// too). Exactly "no-store": antiforgery's own "no-cache, no-store" would mean the rule is only its side effect.
    /// </summary>
    [Fact]
    public async Task Signed_in_pages_and_every_api_answer_say_no_store()
    {
        var cancel = TestContext.Current.CancellationToken;
        var customer = await portal.CreateCustomerAsync();
        using var signedIn = await HttpSignIn.PasswordSignedInClientAsync(portal, customer);
        foreach (var path in new[] { "/", "/otp", "/banking/account", "/payeasy/history", "/no-such-page" })
        {
            var page = await signedIn.GetAsync(path, cancel);
            Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        }

        using var anonymous = portal.CreateClient();
        var answers = new List<HttpResponseMessage>
        {
            await anonymous.GetAsync("/api/token/download?code=x", cancel),
            await anonymous.GetAsync("/api/token/no-such-call", cancel),
            await anonymous.DeleteAsync("/api/token/activation", cancel),
            await TokenHelpers.ActivateAsync(anonymous, "KITASHIN", "0123456789", "1234", null),
        };
        Assert.All(answers, answer => Assert.Equal("no-store", answer.Headers.CacheControl?.ToString()));

        // The activation itself, which carries the token's secret.
        var enrolled = await portal.CreateCustomerAsync();
        var mobile = $"c{Guid.NewGuid():N}"[..12] + "@docomo.ne.jp";
        await using (var scope = portal.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Portal.Otp.OtpEnrollment>()
                .IssueTokenAsync(enrolled.UserId, new Portal.Otp.IssueTokenInput(mobile, "1234", "1234"), null, cancel);
        var (_, code, serviceId, userId) = TokenHelpers.ReadIssueMail((await MailDev.WaitForMailAsync(mobile)).Text);
        var activated = await TokenHelpers.ActivateAsync(anonymous, serviceId, userId, "1234", code);
        Assert.Equal(System.Net.HttpStatusCode.OK, activated.StatusCode);
        Assert.Equal("no-store", activated.Headers.CacheControl?.ToString());
    }
}
