using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Portal.Identity;

/// <summary>
/// The principal Identity builds at sign-in and at each security-stamp re-check: the user row's ID, name and stamp, and
/// the roles, in one query. Identity's own factory also reads AspNetUserClaims and, per role, AspNetRoleClaims; the
/// portal keeps nothing in either (its own claims come with the sign-in, <see cref="PortalClaims"/>), so those reads
/// were a round trip more on every sign-in for tables that stay empty.
/// </summary>
public sealed class PortalClaimsPrincipalFactory(UserManager<PortalUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<PortalUser>(users, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(PortalUser user)
    {
        var names = Options.ClaimsIdentity;
        var identity = new ClaimsIdentity(IdentityConstants.ApplicationScheme, names.UserNameClaimType, names.RoleClaimType);
        identity.AddClaim(new Claim(names.UserIdClaimType, user.Id));
        identity.AddClaim(new Claim(names.UserNameClaimType, user.UserName ?? ""));
        if (!string.IsNullOrEmpty(user.Email)) identity.AddClaim(new Claim(names.EmailClaimType, user.Email));
        identity.AddClaim(new Claim(names.SecurityStampClaimType, await UserManager.GetSecurityStampAsync(user)));
        foreach (var role in await UserManager.GetRolesAsync(user)) identity.AddClaim(new Claim(names.RoleClaimType, role));
        return identity;
    }
}
