using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Portal.Identity;

/// <summary>
/// A circuit's sign-in, handed to <see cref="CircuitSignIns"/> to be re-checked every minute with every other open
/// circuit's; signed out (anonymous) when its session ended or the customer's security stamp changed.
/// </summary>
internal sealed class PortalAuthenticationStateProvider : ServerAuthenticationStateProvider, ISignedInCircuit, IDisposable
{
    private readonly CircuitSignIns _signIns;
    private readonly ClaimsIdentityOptions _claims;

    public PortalAuthenticationStateProvider(CircuitSignIns signIns, IOptions<IdentityOptions> identityOptions)
    {
        _signIns = signIns;
        _claims = identityOptions.Value.ClaimsIdentity;
        AuthenticationStateChanged += Follow;
    }

    private async void Follow(Task<AuthenticationState> changed)
    {
        try
        {
            var user = (await changed).User;
            if (user.FindFirstValue(_claims.UserIdClaimType) is { } userId && user.GetSessionId() is { } sessionId)
                _signIns.Watch(this, new(sessionId, userId, user.FindFirstValue(_claims.SecurityStampClaimType)));
            else
                _signIns.Forget(this);
        }
        catch (Exception)
        {
            // No user could be read: nothing to watch (an async void must not throw).
            _signIns.Forget(this);
        }
    }

    public void SignOut() => SetAuthenticationState(Task.FromResult(new AuthenticationState(new ClaimsPrincipal(new ClaimsIdentity()))));

    public void Dispose()
    {
        AuthenticationStateChanged -= Follow;
        _signIns.Forget(this);
    }
}
