using System.Globalization;
using System.Security.Claims;

namespace Portal.Identity;

/// <summary>Claims the portal adds at sign-in, so the header needs no database read.</summary>
public static class PortalClaims
{
    public const string SessionId = "portal:sid";
    public const string DisplayName = "portal:name";
    public const string PreviousSignIn = "portal:prev";
    public const string AuthenticationMethods = "amr";

    /// <summary>The claims of one sign-in, as opposed to those Identity derives from the user row.</summary>
    private static readonly string[] OfTheSignIn = [SessionId, DisplayName, PreviousSignIn, AuthenticationMethods];

    /// <summary>
    /// Identity's periodic security-stamp check rebuilds the principal from the user row; without this the rebuilt one
    /// lacks the session and the factors, and the customer would be signed out a minute after signing in.
    /// </summary>
    public static void CarryOver(ClaimsPrincipal? from, ClaimsPrincipal? to)
    {
        if (from is null || to?.Identity is not ClaimsIdentity identity) return;
        foreach (var claim in from.Claims.Where(c => OfTheSignIn.Contains(c.Type) && !to.HasClaim(h => h.Type == c.Type)))
            identity.AddClaim(new Claim(claim.Type, claim.Value));
    }

    /// <summary>Whether this sign-in included the one-time password (the ticket's factors, kept in the signed cookie).</summary>
    public static bool SignedInWithCode(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(AuthenticationMethods) == SignInFactors.PasswordAndOtp;

    public static Guid? GetSessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(SessionId), out var id) ? id : null;

    public static string GetDisplayName(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(DisplayName) ?? principal.Identity?.Name ?? "";

    public static DateTimeOffset? GetPreviousSignIn(this ClaimsPrincipal principal) =>
        DateTimeOffset.TryParse(principal.FindFirstValue(PreviousSignIn), CultureInfo.InvariantCulture,
            DateTimeStyles.RoundtripKind, out var at) ? at : null;
}
