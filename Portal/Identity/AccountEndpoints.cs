using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using System.Globalization;

namespace Portal.Identity;

/// <summary>The two plain HTTP endpoints of the portal: they set and clear the cookie, which a circuit cannot.</summary>
public static class AccountEndpoints
{
    public static IEndpointRouteBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var account = app.MapGroup("/account");
        account.MapPost("/signin", SignInAsync).AllowAnonymous();
        account.MapPost("/signout", SignOutAsync).AllowAnonymous();
        return app;
    }

    /// <summary>Redeems the ticket posted by the ログイン画面 and sets the cookie. The password never comes here.</summary>
    private static async Task<IResult> SignInAsync(
        HttpContext http,
        IAntiforgery antiforgery,
        SignInTickets tickets,
        PortalSessions sessions,
        UserManager<PortalUser> users,
        SignInManager<PortalUser> signIn,
        PortalClaimsPrincipalFactory principals)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.Redirect("/login?error=expired");
        var form = await http.Request.ReadFormAsync();
        // Decided before the ticket is spent: nothing may fail between redeeming it and setting the cookie.
        var target = LocalOrHome(form["returnUrl"].ToString());

        var redeemed = await tickets.RedeemAsync(form["ticket"].ToString(), http.RequestAborted);
        if (redeemed is null) return Results.Redirect("/login?error=expired");

        var user = redeemed.Customer;
        // 利用停止 may have come between the password step and the redemption.
        if (redeemed.Stopped) return Results.Redirect("/login?error=stopped");
        // The lock may have come between the check and the redemption.
        if (!await signIn.CanSignInAsync(user) || await users.IsLockedOutAsync(user))
            return Results.Redirect("/login?error=expired");
        // No browser session for a 利用中 customer without a code, whatever ticket was issued before.
        if (redeemed.Factors != SignInFactors.PasswordAndOtp && redeemed.OtpInUse)
            return Results.Redirect("/login?error=expired");

        var session = await sessions.StartAsync(user.Id, http.Connection.RemoteIpAddress?.ToString(),
            http.Request.Headers.UserAgent.ToString(), http.RequestAborted);

        List<Claim> claims =
        [
            new(PortalClaims.SessionId, session.Id.ToString()),
            new(PortalClaims.DisplayName, user.DisplayName),
            new(PortalClaims.AuthenticationMethods, redeemed.Factors),
        ];
        if (user.LastSignInAt is { } previous)
            claims.Add(new(PortalClaims.PreviousSignIn, previous.ToString("O", CultureInfo.InvariantCulture)));

        // As SignInManager.SignInWithClaimsAsync, with the roles read along with the ticket rather than once more. Not
        // done here: its aspnetcore.identity.sign_in.sign_ins count (kitashin.sign_ins and the authentication count remain).
        await http.SignInAsync(IdentityConstants.ApplicationScheme, principals.Principal(user, redeemed.Roles, claims), new AuthenticationProperties
        {
            IsPersistent = false,
            IssuedUtc = session.StartedAt,
            ExpiresUtc = session.StartedAt + sessions.Policy.AbsoluteLifetime,
            AllowRefresh = false,
        });

        return Results.Redirect(target);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IAntiforgery antiforgery, PortalSessions sessions, SignInManager<PortalUser> signIn)
    {
        if (!await antiforgery.IsRequestValidAsync(http)) return Results.Redirect("/");
        if (http.User.GetSessionId() is { } sessionId) await sessions.EndAsync(sessionId, "signout", http.RequestAborted);
        await signIn.SignOutAsync();
        // 「ワンタイムパスワードでログインし直す」: a password-only session is ended, and the next sign-in returns to the page.
        var form = await http.Request.ReadFormAsync();
        if (form["reason"] == "code")
            return Results.Redirect("/login?reason=code&returnUrl=" + Uri.EscapeDataString(LocalOrHome(form["returnUrl"].ToString())));
        return Results.Redirect("/login?reason=signedout");
    }

    private static readonly Uri ThisSite = new("https://portal.invalid/");

    /// <summary>
    /// Prevent open redirects: only a path on this site, never back into /account. The answer is percent-encoded
    /// (UTF-8), so a Japanese path is a Location header Kestrel can write.
    /// </summary>
    internal static string LocalOrHome(string? returnUrl)
    {
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2048 || returnUrl.Any(char.IsControl)) return "/";
        // Resolved against this site to remove dot segments, so "/x/../account" is seen for what it is.
        if (!IsPathOnly(returnUrl) || !Uri.TryCreate(ThisSite, returnUrl, out var resolved)
            || resolved.Authority != ThisSite.Authority) return "/";
        if (Uri.UnescapeDataString(resolved.AbsolutePath).StartsWith("/account", StringComparison.OrdinalIgnoreCase)) return "/";
        var target = resolved.PathAndQuery + resolved.Fragment;
        return IsPathOnly(target) && target.All(c => c is > ' ' and < '\x7f') ? target : "/";
    }

    // Browsers read "//host" and "/\host" as another site.
    private static bool IsPathOnly(string url) =>
        url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'));
}
