using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>Where the sign-in endpoint sends the browser: only this site, and always a header Kestrel can write.</summary>
public class ReturnUrlRulesTests
{
    [Theory]
    [InlineData("/メニュー?x=あ", "/%E3%83%A1%E3%83%8B%E3%83%A5%E3%83%BC?x=%E3%81%82")]
    [InlineData("/otp/status", "/otp/status")]
    [InlineData("/notices?page=2&sort=date", "/notices?page=2&sort=date")]
    [InlineData("/%E3%83%A1", "/%E3%83%A1")]
    [InlineData("/a b", "/a%20b")]
    [InlineData("/ｘ?ｑ=１", "/%EF%BD%98?%EF%BD%91=%EF%BC%91")]
    [InlineData("/\u202Eevil", "/%E2%80%AEevil")]
    [InlineData("/x/../notices", "/notices")]
    [InlineData("/", "/")]
    public void A_local_path_comes_back_percent_encoded_as_utf8(string returnUrl, string expected)
    {
        var target = AccountEndpoints.LocalOrHome(returnUrl);
        Assert.Equal(expected, target);
        Assert.All(target, c => Assert.InRange(c, '!', '~'));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    [InlineData("/\\/evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("http:evil.example")]
    [InlineData("javascript:alert(1)")]
    [InlineData("evil.example")]
    [InlineData("/account/signout")]
    [InlineData("/ACCOUNT/signin")]
    [InlineData("/%61ccount/signout")]
    [InlineData("/x/../account/signout")]
    [InlineData("/x/..//evil.example")]
    [InlineData("/x/../\\evil.example")]
    [InlineData("/./account/signin")]
    [InlineData("/menu\r\nSet-Cookie: a=b")]
    [InlineData("/menu\0")]
    [InlineData("\t//evil.example")]
    public void Anything_else_goes_home(string? returnUrl) => Assert.Equal("/", AccountEndpoints.LocalOrHome(returnUrl));

    [Fact]
    public void An_over_long_return_url_goes_home() => Assert.Equal("/", AccountEndpoints.LocalOrHome("/" + new string('a', 2048)));
}

/// <summary>
/// The sign-in endpoint on Kestrel, which (unlike the in-memory server) refuses a non-ASCII header value: a Japanese
/// return URL once threw after the ticket was spent and the session row written.
/// </summary>
public class ReturnUrlSignInTests(KestrelPortal kestrel) : IClassFixture<KestrelPortal>
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_japanese_return_url_redirects_percent_encoded_with_the_cookie()
    {
        var portal = kestrel.Portal;
        var customer = await portal.CreateCustomerAsync();
        using var client = kestrel.NewClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() });
        var token = HttpSignIn.AntiforgeryToken(await client.GetStringAsync("/login", Cancel));
        Assert.NotNull(token);
        string ticket;
        await using (var scope = portal.Services.CreateAsyncScope())
            ticket = await scope.ServiceProvider.GetRequiredService<SignInTickets>().IssueAsync(customer.UserId, "pwd", Cancel);

        var response = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["ticket"] = ticket, ["returnUrl"] = "/メニュー?x=あ",
        }), Cancel);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/%E3%83%A1%E3%83%8B%E3%83%A5%E3%83%BC?x=%E3%81%82", response.Headers.Location?.OriginalString);
        Assert.Contains(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("kitashin.session=", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", Cancel)).StatusCode);

        await using var db = portal.Database.CreateContext();
        Assert.Equal(1, await db.PortalSessions.CountAsync(s => s.UserId == customer.UserId, Cancel));
    }
}
