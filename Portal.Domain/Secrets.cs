using System.Security.Cryptography;
using System.Text;

namespace Portal.Domain;

/// <summary>Random secrets handed to a browser or a mail, and the hashes stored in their place.</summary>
public static class Secrets
{
    /// <summary>256 random bits, URL-safe base64 without padding (43 characters).</summary>
    public static string NewUrlSafe() =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool LooksUrlSafe(string? value) =>
        value is { Length: 43 } && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>SHA-256 in hex: enough for high-entropy secrets, which need no slow hash.</summary>
    public static string Hash(string secret) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
