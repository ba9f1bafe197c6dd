using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;

namespace Portal.Identity;

/// <summary>
/// The signed-in customer of this circuit, the address they signed in from (for the audit trail), and whether this
/// session's sign-in included the one-time password (money and security settings need it, SPEC 7).
/// </summary>
public sealed record CustomerRef(string UserId, string? SourceAddress, Guid? SessionId, bool SignedInWithCode);

public sealed class CurrentCustomer(AuthenticationStateProvider authentication, PortalSessions sessions)
{
    private CustomerRef? _customer;

    public async Task<CustomerRef> GetAsync()
    {
        if (_customer is not null) return _customer;
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        var userId = user.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("No customer is signed in.");
        // A circuit has no HttpContext to ask; the session row kept the address of the sign-in.
        var session = user.GetSessionId() is { } sessionId ? await sessions.FindLiveAsync(sessionId, userId) : null;
        return _customer = new CustomerRef(userId, session?.RemoteAddress, session?.Id, user.SignedInWithCode());
    }
}
