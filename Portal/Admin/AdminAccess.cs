using System.Security.Claims;
using Portal.Identity;

namespace Portal.Admin;

/// <summary>Bank staff: the role, the policy that admin pages require, and the OTP they must sign in with.</summary>
public static class AdminAccess
{
    public const string Role = "Admin";
    public const string Policy = "Admin";

    /// <summary>Admin pages open only for a sign-in that included the one-time password.</summary>
    public static bool SignedInWithOtp(this ClaimsPrincipal user) =>
        user.FindFirst(Portal.Identity.PortalClaims.AuthenticationMethods)?.Value == SignInFactors.PasswordAndOtp;
}
