using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Portal.Identity;

namespace Portal.Tests.Support;

/// <summary>Signs a user in over plain HTTP the way the browser does: antiforgery token, ticket, cookie.</summary>
public static partial class HttpSignIn
{
    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"|name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    public static HttpClient NewClient(PortalFactory portal) =>
        portal.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    public static string? AntiforgeryToken(string html) =>
        AntiforgeryField().Match(html) is { Success: true } m
            ? WebUtility.HtmlDecode(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value)
            : null;

    /// <summary>
    /// A client signed in the whole way with the password: the ログイン画面's antiforgery token, PasswordSignIn.CheckAsync,
    /// then the ticket posted to /account/signin. <paramref name="beforeCheck"/> runs once the login page has loaded.
    /// </summary>
    public static async Task<HttpClient> PasswordSignedInClientAsync(PortalFactory portal, TestCustomer customer, Action? beforeCheck = null)
    {
        var cancel = TestContext.Current.CancellationToken;
        var client = NewClient(portal);
        var token = AntiforgeryToken(await client.GetStringAsync("/login", cancel))!;
        beforeCheck?.Invoke();
        await using var scope = portal.Services.CreateAsyncScope();
        var check = await scope.ServiceProvider.GetRequiredService<PasswordSignIn>()
            .CheckAsync(customer.LoginId, customer.Password, "192.0.2.1", cancel);
        if (check.Outcome != PasswordCheckOutcome.Succeeded) throw new InvalidOperationException("password step: " + check.Outcome);
        var response = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["ticket"] = check.Ticket!, ["returnUrl"] = "/",
        }), cancel);
        if (response.Headers.Location?.OriginalString != "/") throw new InvalidOperationException("sign-in failed: " + response.Headers.Location);
        return client;
    }

    /// <summary>A signed-in client for that user, with a ticket saying which factors were checked.</summary>
    public static async Task<HttpClient> SignedInClientAsync(PortalFactory portal, string userId, string factors)
    {
        var client = NewClient(portal);
        var token = AntiforgeryToken(await client.GetStringAsync("/login"))!;
        await using var scope = portal.Services.CreateAsyncScope();
        var ticket = await scope.ServiceProvider.GetRequiredService<SignInTickets>().IssueAsync(userId, factors);
        var response = await client.PostAsync("/account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["ticket"] = ticket, ["returnUrl"] = "/",
        }));
        if (response.Headers.Location?.OriginalString != "/") throw new InvalidOperationException("sign-in failed: " + response.Headers.Location);
        return client;
    }
}
