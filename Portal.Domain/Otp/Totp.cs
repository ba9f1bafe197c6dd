using System.Security.Cryptography;
using OtpNet;

namespace Portal.Domain.Otp;

/// <summary>
/// TOTP per RFC 6238 as the bank uses it: HMAC-SHA1, 6 digits, 30-second steps, a 160-bit secret per token, and
/// the current step plus one either side accepted.
/// </summary>
public static class TotpRules
{
    public const int Digits = 6;
    public const int StepSeconds = 30;
    public const int SecretBytes = 20;
    public const int WindowSteps = 1;

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    public static string ToBase32(byte[] secret) => Base32Encoding.ToString(secret);

    public static long StepAt(DateTimeOffset at) => at.ToUnixTimeSeconds() / StepSeconds;

    public static string Compute(byte[] secret, DateTimeOffset at, int digits = Digits) =>
        new Totp(secret, StepSeconds, OtpHashMode.Sha1, digits).ComputeTotp(at.UtcDateTime);

    /// <summary>The matched time step, or null when the code fits none of the three accepted steps.</summary>
    public static long? Verify(byte[] secret, string normalizedCode, DateTimeOffset now)
    {
        var totp = new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits);
        return totp.VerifyTotp(now.UtcDateTime, normalizedCode, out var step, new VerificationWindow(WindowSteps, WindowSteps))
            ? step
            : null;
    }
}

/// <summary>What a customer types as a ワンタイムパスワード, made comparable.</summary>
public static class OtpCode
{
    /// <summary>
    /// Full-width digits become half-width; spaces (half- and full-width) and hyphens are dropped. Returns the six
    /// ASCII digits, or null when what remains is anything else.
    /// </summary>
    public static string? Normalize(string? input)
    {
        if (input is null || input.Length > 64) return null;
        var digits = new System.Text.StringBuilder(Digits);
        foreach (var c in input)
        {
            if (c is ' ' or '\u3000' or '-' or '\u2010' or '\u2011' or '\u2012' or '\u2013' or '\u2212' or '\uFF0D' or '\t') continue;
            if (char.IsAsciiDigit(c)) digits.Append(c);
            else if (c is >= '\uFF10' and <= '\uFF19') digits.Append((char)('0' + (c - '\uFF10')));
            else return null;
        }
        return digits.Length == Digits ? digits.ToString() : null;
    }

    private const int Digits = TotpRules.Digits;
}
