using System.Security.Cryptography;

namespace Portal.Domain.SignIn;

/// <summary>
/// The one-time ticket that carries a sign-in checked in the interactive circuit over to the HTTP endpoint that
/// sets the cookie. The secret goes to the browser once; only its hash is stored.
/// </summary>
public static class SignInTicketRules
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    /// <summary>256 random bits, URL-safe.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret) =>
        Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(secret)));

    /// <summary>A ticket secret is exactly what <see cref="NewSecret"/> makes; anything else is refused unread.</summary>
    public static bool LooksLikeSecret(string? value) =>
        value is { Length: 43 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
