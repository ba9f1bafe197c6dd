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
}
