using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Portal.Identity;

/// <summary>
/// Re-checks an open circuit's sign-in every minute: the session row must still be live and the security stamp
/// unchanged, so a session ended elsewhere (sign-out, timeout, later a cancel of OTP use) leaves the circuit too.
/// </summary>
internal sealed class PortalAuthenticationStateProvider(
    ILoggerFactory loggerFactory,
    IServiceScopeFactory scopes,
    PortalSessions sessions,
    IOptions<IdentityOptions> identityOptions)
    : RevalidatingServerAuthenticationStateProvider(loggerFactory)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken)
    {
        var principal = state.User;
        var claimTypes = identityOptions.Value.ClaimsIdentity;
        var userId = principal.FindFirstValue(claimTypes.UserIdClaimType);
        if (userId is null || principal.GetSessionId() is not { } sessionId) return false;
        if (await sessions.FindLiveAsync(sessionId, userId, cancellationToken) is null) return false;

        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(userId);
        if (user is null) return false;
        return principal.FindFirstValue(claimTypes.SecurityStampClaimType) == await users.GetSecurityStampAsync(user);
    }
}
