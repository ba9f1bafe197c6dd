using Microsoft.AspNetCore.DataProtection;

namespace Portal.Otp;

/// <summary>
/// TOTP secrets at rest: encrypted with Data Protection, whose keys live in the database so every instance reads
/// them. The plain bytes exist only in memory while a code is checked, and once on their way to the token app.
/// </summary>
public sealed class OtpSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Portal.Otp.TokenSecret.v1");

    public string Protect(byte[] secret) => Convert.ToBase64String(_protector.Protect(secret));

    public byte[] Unprotect(string protectedSecret) => _protector.Unprotect(Convert.FromBase64String(protectedSecret));
}
