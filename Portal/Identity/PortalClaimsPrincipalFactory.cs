using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Portal.Identity;

/// <summary>
/// The principal Identity builds at sign-in and at each security-stamp re-check: the user row's ID, name and stamp, and
/// the roles. Identity's own factory also reads AspNetUserClaims and, per role, AspNetRoleClaims; the portal keeps nothing
/// in either (its own claims come with the sign-in, <see cref="PortalClaims"/>), so those reads were a round trip more on
/// every sign-in for tables that stay empty. At sign-in the roles come with the ticket's query (<see cref="Principal"/>).
/// </summary>
public sealed class PortalClaimsPrincipalFactory(UserManager<PortalUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser>(users, options)
{
    /// <summary>The principal of a user whose roles the caller has already read, with the caller's own claims added.</summary>
    public ClaimsPrincipal Principal(PortalUser user, IEnumerable<string> roles, IEnumerable<Claim> claims)
    {
        var identity = Identity(user, roles);
        identity.AddClaims(claims);
        return new ClaimsPrincipal(identity);
    }

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user) =>
        Identity(user, await UserManager.GetRolesAsync(user));

    private ClaimsIdentity Identity(PortalUser user, IEnumerable<string> roles)
    {
        var names = Options.ClaimsIdentity;
        var identity = new ClaimsIdentity(IdentityConstants.ApplicationScheme, names.UserNameClaimType, names.RoleClaimType);
        identity.AddClaim(new Claim(names.UserIdClaimType, user.Id));
        identity.AddClaim(new Claim(names.UserNameClaimType, user.UserName ?? ""));
        if (!string.IsNullOrEmpty(user.Email)) identity.AddClaim(new Claim(names.EmailClaimType, user.Email));
        // As UserManager.GetSecurityStampAsync: a principal without a stamp would never pass the stamp check.
        identity.AddClaim(new Claim(names.SecurityStampClaimType,
            user.SecurityStamp ?? throw new InvalidOperationException("The user has no security stamp.")));
        foreach (var role in roles) identity.AddClaim(new Claim(names.RoleClaimType, role));
        return identity;
    }
}
