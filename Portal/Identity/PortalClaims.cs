using System.Globalization;
using System.Security.Claims;

namespace Portal.Identity;

/// <summary>Claims the portal adds at sign-in, so the header needs no database read.</summary>
public static class PortalClaims
{
    public const string SessionId = "portal:sid";
    public const string DisplayName = "portal:name";
    public const string PreviousSignIn = "portal:prev";

    public static Guid? GetSessionId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(SessionId), out var id) ? id : null;

    public static string GetDisplayName(this ClaimsPrincipal principal) =>
        principal.FindFirstValue(DisplayName) ?? principal.Identity?.Name ?? "";

    public static DateTimeOffset? GetPreviousSignIn(this ClaimsPrincipal principal) =>
        DateTimeOffset.TryParse(principal.FindFirstValue(PreviousSignIn), CultureInfo.InvariantCulture,
            DateTimeStyles.RoundtripKind, out var at) ? at : null;
}
