using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Portal.Identity;

namespace Portal.Admin;

/// <summary>Bank staff: the role, the policy that admin pages require, and the OTP they must sign in with.</summary>
public static class AdminAccess
{
    public const string Role = "Admin";
    public const string Policy = "Admin";

    /// <summary>Where an admin who signed in without the one-time password is sent instead of a 403.</summary>
    public const string EnrollPath = "/otp?enroll=admin";

    /// <summary>
    /// The admin policy: the role and a sign-in that included the one-time password. In the policy, not in a layout,
    /// so a page that forgets the admin layout is still closed.
    /// </summary>
    public static void Require(AuthorizationPolicyBuilder policy) =>
        policy.RequireRole(Role).RequireClaim(PortalClaims.AuthenticationMethods, SignInFactors.PasswordAndOtp);

    /// <summary>An admin the policy refused only for the missing one-time password: shown the way to it, not a 403.</summary>
    public static bool MustSignInWithOtp(this ClaimsPrincipal user) =>
        user.IsInRole(Role) && !user.SignedInWithCode();
}
