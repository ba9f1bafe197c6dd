using Microsoft.AspNetCore.Identity;

namespace Portal.Identity;

public enum PasswordCheckOutcome { Succeeded, Failed, LockedOut }

/// <param name="Ticket">On success, the secret the browser posts to /account/signin.</param>
/// <param name="LockedUntil">When locked out, the end of the lock.</param>
public sealed record PasswordCheckResult(PasswordCheckOutcome Outcome, string? Ticket = null, DateTimeOffset? LockedUntil = null);

/// <summary>
/// Step 1 of the ログイン画面, run in the interactive circuit: checks ID and password once, counting failures
/// toward the lock, and on success hands back a single-use sign-in ticket (docs/decisions/0002).
/// </summary>
public sealed class PasswordSignIn(IServiceScopeFactory scopes, SignInTickets tickets)
{
    public async Task<PasswordCheckResult> CheckAsync(string loginId, string password, CancellationToken cancellationToken = default)
    {
        // A fresh scope per attempt: a circuit lives for hours, and a long-lived UserManager would keep serving
        // the user row (failure count, lock) it loaded first.
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var signIn = scope.ServiceProvider.GetRequiredService<SignInManager<PortalUser>>();

        var user = await users.FindByNameAsync(loginId);
        if (user is null)
        {
            // Spend the same hashing time as for a real account, so response time does not reveal which IDs exist.
            users.PasswordHasher.VerifyHashedPassword(DummyUser, DummyHash(users.PasswordHasher), password);
            return new(PasswordCheckOutcome.Failed);
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.IsLockedOut)
            return new(PasswordCheckOutcome.LockedOut, LockedUntil: await users.GetLockoutEndDateAsync(user));
        if (!result.Succeeded)
            return new(PasswordCheckOutcome.Failed);

        return new(PasswordCheckOutcome.Succeeded, Ticket: await tickets.IssueAsync(user.Id, "pwd", cancellationToken));
    }

    private static readonly PortalUser DummyUser = new() { UserName = "dummy" };
    private static string? _dummyHash;

    private static string DummyHash(IPasswordHasher<PortalUser> hasher) =>
        _dummyHash ??= hasher.HashPassword(DummyUser, Guid.NewGuid().ToString());
}
