using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>The cookie endpoint over plain HTTP: antiforgery, single use, session enforcement, open redirects.</summary>
public partial class SignInHandoffTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private HttpClient NewClient() =>
        portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"|name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private async Task<string> AntiforgeryTokenAsync(HttpClient client)
    {
        var html = await client.GetStringAsync("/login", Cancel);
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, "the login page carries an antiforgery token");
        return WebUtility.HtmlDecode(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value);
    }

    private async Task<string> IssueTicketAsync(TestCustomer customer)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<SignInTickets>().IssueAsync(customer.UserId, "pwd", Cancel);
    }

    private Task<HttpResponseMessage> PostSignInAsync(HttpClient client, string? token, string ticket, string returnUrl = "/")
    {
        var fields = new Dictionary<string, string> { ["ticket"] = ticket, ["returnUrl"] = returnUrl };
        if (token is not null) fields["__RequestVerificationToken"] = token;
        return client.PostAsync("/account/signin", new FormUrlEncodedContent(fields), Cancel);
    }

    [Fact]
    public async Task A_valid_ticket_signs_in_once_and_the_menu_shows_the_customer()
    {
        var customer = await portal.CreateCustomerAsync("北 新太郎");
        using var client = NewClient();
        var token = await AntiforgeryTokenAsync(client);
        var ticket = await IssueTicketAsync(customer);

        var response = await PostSignInAsync(client, token, ticket);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("kitashin.session="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=strict", cookie, StringComparison.OrdinalIgnoreCase);

        var menu = await client.GetAsync("/", Cancel);
        Assert.Equal(HttpStatusCode.OK, menu.StatusCode);
        var html = await menu.Content.ReadAsStringAsync(Cancel);
        Assert.Contains("北 新太郎 様", WebUtility.HtmlDecode(html));

        // The same ticket a second time gets nobody in.
        using var other = NewClient();
        var again = await PostSignInAsync(other, await AntiforgeryTokenAsync(other), ticket);
        Assert.Equal("/login?error=expired", again.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_password_only_ticket_never_signs_in_a_customer_whose_otp_is_in_use()
    {
        var enrolled = await portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        using var client = NewClient();
        var response = await PostSignInAsync(client, await AntiforgeryTokenAsync(client), await IssueTicketAsync(enrolled.Customer));
        Assert.Equal("/login?error=expired", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Cancel)).StatusCode);
    }

    [Fact]
    public async Task A_lock_that_comes_after_the_password_check_refuses_the_ticket()
    {
        var customer = await portal.CreateCustomerAsync();
        using var client = NewClient();
        var token = await AntiforgeryTokenAsync(client);
        var ticket = await IssueTicketAsync(customer);
        await using (var scope = portal.Services.CreateAsyncScope())
        {
            // As staff or five wrong codes in another tab would, between the password step and the redemption.
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<PortalUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByIdAsync(customer.UserId))!, DateTimeOffset.UtcNow.AddMinutes(30));
        }

        var response = await PostSignInAsync(client, token, ticket);
        Assert.Equal("/login?error=expired", response.Headers.Location?.OriginalString);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Without_the_antiforgery_token_the_ticket_is_not_redeemed()
    {
        var customer = await portal.CreateCustomerAsync();
        using var client = NewClient();
        var ticket = await IssueTicketAsync(customer);
        var response = await PostSignInAsync(client, token: null, ticket);
        Assert.Equal("/login?error=expired", response.Headers.Location?.OriginalString);

        // ...and so it is still unused.
        await using var scope = portal.Services.CreateAsyncScope();
        Assert.NotNull(await scope.ServiceProvider.GetRequiredService<SignInTickets>().RedeemAsync(ticket, Cancel));
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("")]
    public async Task A_bad_ticket_goes_back_to_the_login_screen(string ticket)
    {
        using var client = NewClient();
        var response = await PostSignInAsync(client, await AntiforgeryTokenAsync(client), ticket);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login?error=expired", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example")]
    [InlineData("https://evil.example/")]
    [InlineData("/account/signout")]
    public async Task Return_urls_never_leave_the_portal(string returnUrl)
    {
        var customer = await portal.CreateCustomerAsync();
        using var client = NewClient();
        var response = await PostSignInAsync(client, await AntiforgeryTokenAsync(client), await IssueTicketAsync(customer), returnUrl);
        Assert.Equal("/", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_session_ended_on_the_server_is_refused_even_with_the_cookie()
    {
        var customer = await portal.CreateCustomerAsync();
        using var client = NewClient();
        await PostSignInAsync(client, await AntiforgeryTokenAsync(client), await IssueTicketAsync(customer));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", Cancel)).StatusCode);

        await using (var db = portal.Database.CreateContext())
        {
            await db.PortalSessions.Where(s => s.UserId == customer.UserId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, DateTimeOffset.UtcNow), Cancel);
        }

        var response = await client.GetAsync("/", Cancel);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/login", response.Headers.Location?.AbsolutePath ?? response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_session_idle_for_fifteen_minutes_is_refused()
    {
        var customer = await portal.CreateCustomerAsync();
        using var client = NewClient();
        await PostSignInAsync(client, await AntiforgeryTokenAsync(client), await IssueTicketAsync(customer));

        await using (var db = portal.Database.CreateContext())
        {
            await db.PortalSessions.Where(s => s.UserId == customer.UserId)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastActivityAt, DateTimeOffset.UtcNow.AddMinutes(-15)), Cancel);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Signing_out_ends_the_session_row()
    {
        var customer = await portal.CreateCustomerAsync();
        using var client = NewClient();
        await PostSignInAsync(client, await AntiforgeryTokenAsync(client), await IssueTicketAsync(customer));
        var menu = await client.GetStringAsync("/", Cancel);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(menu).Groups is var g && g[1].Success ? g[1].Value : g[2].Value);

        var response = await client.PostAsync("/account/signout",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }), Cancel);
        Assert.Equal("/login?reason=signedout", response.Headers.Location?.OriginalString);

        await using var db = portal.Database.CreateContext();
        var session = await db.PortalSessions.SingleAsync(s => s.UserId == customer.UserId, Cancel);
        Assert.Equal("signout", session.EndReason);
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/", Cancel)).StatusCode);
    }

    [Theory]
    [InlineData("/payeasy", "/login?reason=code&returnUrl=%2Fpayeasy")]
    [InlineData("https://evil.example/", "/login?reason=code&returnUrl=%2F")]
    public async Task Signing_in_again_with_the_code_ends_this_session_and_returns_only_to_a_local_page(string returnUrl, string expected)
    {
        var customer = await portal.CreateCustomerAsync();
        using var client = NewClient();
        await PostSignInAsync(client, await AntiforgeryTokenAsync(client), await IssueTicketAsync(customer));
        var menu = await client.GetStringAsync("/", Cancel);
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(menu).Groups is var g && g[1].Success ? g[1].Value : g[2].Value);

        var response = await client.PostAsync("/account/signout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["reason"] = "code", ["returnUrl"] = returnUrl,
        }), Cancel);

        Assert.Equal(expected, response.Headers.Location?.OriginalString);
        await using var db = portal.Database.CreateContext();
        Assert.Equal("signout", await db.PortalSessions.Where(s => s.UserId == customer.UserId).Select(s => s.EndReason).SingleAsync(Cancel));
    }

    [Fact]
    public async Task Unauthenticated_requests_for_the_menu_go_to_the_login_screen()
    {
        using var client = NewClient();
        var response = await client.GetAsync("/", Cancel);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/login", response.Headers.Location?.AbsolutePath);
    }

    [Fact]
    public async Task Health_reports_the_database()
    {
        using var client = NewClient();
        var response = await client.GetAsync("/healthz", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"database\":\"Healthy\"", await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task An_unknown_page_is_a_friendly_404_not_an_error()
    {
        using var client = NewClient();
        var response = await client.GetAsync("/no-such-page", Cancel);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("ページが見つかりません", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel)));
    }
}
