namespace Portal.Domain.SignIn;

/// <summary>
/// The one-time ticket that carries a sign-in checked in the interactive circuit over to the HTTP endpoint that
/// sets the cookie. The secret goes to the browser once; only its hash is stored.
/// </summary>
public static class SignInTicketRules
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    public static string NewSecret() => Secrets.NewUrlSafe();

    public static string Hash(string secret) => Secrets.Hash(secret);

    /// <summary>A ticket secret is exactly what <see cref="NewSecret"/> makes; anything else is refused unread.</summary>
    public static bool LooksLikeSecret(string? value) => Secrets.LooksUrlSafe(value);
}
