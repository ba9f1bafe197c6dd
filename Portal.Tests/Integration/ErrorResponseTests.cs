using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Hosting;
using Portal.Otp;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>The portal on Kestrel, for what only a real server shows: its own headers, limits and header checks.</summary>
public sealed class KestrelPortal : IAsyncLifetime
{
    public PortalFactory Portal { get; } = new();
    public Uri BaseAddress { get; private set; } = default!;

    public async ValueTask InitializeAsync()
    {
        await Portal.InitializeAsync();
        BaseAddress = Portal.StartOnKestrel();
    }

    public HttpClient NewClient(SocketsHttpHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = BaseAddress };

    public ValueTask DisposeAsync() => Portal.DisposeAsync();
}

public static class ErrorResponseAssert
{
    public static void HasSecurityHeaders(HttpResponseMessage response)
    {
        Assert.Equal(SecurityHosting.ContentSecurityPolicy, string.Join("", response.Headers.GetValues("Content-Security-Policy")));
        Assert.Equal("nosniff", string.Join("", response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("DENY", string.Join("", response.Headers.GetValues("X-Frame-Options")));
        Assert.Equal("no-referrer", string.Join("", response.Headers.GetValues("Referrer-Policy")));
    }

    public static async Task<string> JsonMessageAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return body.RootElement.GetProperty("message").GetString() ?? "";
    }
}

public class KestrelResponseTests(KestrelPortal portal) : IClassFixture<KestrelPortal>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/login")]
    [InlineData("/no-such-page")]
    [InlineData("/api/token/download?code=x")]
    public async Task No_response_names_the_server(string path)
    {
        using var client = portal.NewClient();
        var response = await client.GetAsync(path, Cancel);
        Assert.False(response.Headers.Contains("Server"), "Server: " + string.Join(",", response.Headers.Server));
    }

    [Fact]
    public async Task A_404_page_carries_the_security_headers()
    {
        using var client = portal.NewClient();
        var response = await client.GetAsync("/no-such-page", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        ErrorResponseAssert.HasSecurityHeaders(response);
    }

    [Theory]
    [InlineData(500, HttpStatusCode.InternalServerError)]
    [InlineData(403, HttpStatusCode.Forbidden)]
    [InlineData(404, HttpStatusCode.NotFound)]
    [InlineData(200, HttpStatusCode.NotFound)]
    [InlineData(418, HttpStatusCode.NotFound)]
    [InlineData(999, HttpStatusCode.NotFound)]
    public async Task The_status_page_requested_directly_answers_with_the_status_it_shows(int code, HttpStatusCode expected)
    {
        using var client = portal.NewClient();
        var response = await client.GetAsync($"/status/{code}", Cancel);
        Assert.Equal(expected, response.StatusCode);
        ErrorResponseAssert.HasSecurityHeaders(response);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));
        Assert.Contains(expected switch
        {
            HttpStatusCode.InternalServerError => "エラーが発生しました",
            HttpStatusCode.Forbidden => "このページは表示できません",
            _ => "ページが見つかりません",
        }, html);
    }

    /// <summary>
    /// An announced 30 MB body is refused before it is sent (the client waits for 100-continue, as curl does); a chunked
    /// one is cut off near the API's 16 KB, not drained to Kestrel's 30 MB default. Never a 5xx either way.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_oversized_upload_to_the_token_api_is_refused_near_the_limit(bool chunked)
    {
        const long size = 30L * 1024 * 1024;
        using var client = portal.NewClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(30) });
        var body = new GeneratedBody(size);
        using var request = new HttpRequestMessage(HttpMethod.Post, TokenApiProbeCorpus.Activation) { Content = new StreamContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.ExpectContinue = true;
        if (!chunked) request.Content.Headers.ContentLength = size;

        HttpResponseMessage? response = null;
        try
        {
            response = await client.SendAsync(request, Cancel);
        }
        catch (HttpRequestException) when (chunked)
        {
            // The server closed the connection after its answer while the client was still sending: allowed.
        }

        if (!chunked || response is not null)
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response!.StatusCode);
            Assert.Equal("送信内容が大きすぎます。", await ErrorResponseAssert.JsonMessageAsync(response));
        }
        Assert.True(body.Sent < (chunked ? 8 * 1024 * 1024 : 1), $"{body.Sent} bytes went out");
        response?.Dispose();
    }
}

/// <summary>A portal whose token service is broken on purpose, so the exception handler answers.</summary>
public sealed class BrokenTokenServicePortal : PortalFactory
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
            services.AddScoped<TokenActivation>(_ => throw new InvalidOperationException("broken on purpose by the test")));
    }
}

public class ExceptionHandlerResponseTests(BrokenTokenServicePortal portal) : IClassFixture<BrokenTokenServicePortal>
{
    [Fact]
    public async Task A_500_from_the_exception_handler_carries_the_security_headers_and_no_stack_trace()
    {
        using var client = portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/api/token/download?code=abc", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        ErrorResponseAssert.HasSecurityHeaders(response);
        Assert.DoesNotContain("broken on purpose", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }
}

public class RateLimitResponseTests() : OwnPortal(new PortalFactory().With("Otp:ActivationRequestsPerMinute", "1"))
{
    [Fact]
    public async Task A_429_says_when_to_retry_and_carries_the_security_headers()
    {
        using var client = Portal.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await TokenHelpers.ActivateAsync(client, "KITASHIN", "0123456789", "1234", null)).StatusCode);

        var response = await TokenHelpers.ActivateAsync(client, "KITASHIN", "0123456789", "1234", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = response.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        // Every attempt is counted, the refused one too, and the limit slides: the window after this one still weighs
        // this one's attempts as it passes (RateCounters), so the wait may reach into the next minute.
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        ErrorResponseAssert.HasSecurityHeaders(response);
        Assert.Equal("しばらくしてから再度お試しください。", await ErrorResponseAssert.JsonMessageAsync(response));
    }
}

public class ProductionPageTests(ProductionProbePortal portal) : IClassFixture<ProductionProbePortal>
{
    private HttpClient NewClient() => portal.Portal.CreateClient(
        new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost/") });

    [Theory]
    [InlineData("/dev/mailbox")]
    [InlineData("/no-such-page")]
    public async Task A_page_that_is_not_there_in_production_is_a_404_with_the_security_headers(string path)
    {
        using var client = NewClient();
        var response = await client.GetAsync(path, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        ErrorResponseAssert.HasSecurityHeaders(response);
        Assert.Contains("ページが見つかりません", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
    }
}
