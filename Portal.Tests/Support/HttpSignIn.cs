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
