using System.Net.Mail;

namespace Portal.Domain.Otp;

public enum ActivationPasswordError { None, Required, NotHalfWidthDigits, WrongLength }

public enum ConfirmationError { None, Required, Mismatch }

public enum MobileEmailError { None, Required, TooLong, Invalid }

/// <summary>What the トークン発行画面 accepts (SPEC section 4).</summary>
public static class EnrollmentInput
{
    public const int ActivationPasswordMinLength = 4;
    public const int ActivationPasswordMaxLength = 8;
    public const int MobileEmailMaxLength = 254;

    /// <summary>利用開始パスワード: 4 to 8 half-width digits. Full-width digits are refused, not converted.</summary>
    public static ActivationPasswordError CheckActivationPassword(string? value)
    {
        if (string.IsNullOrEmpty(value)) return ActivationPasswordError.Required;
        if (!value.All(char.IsAsciiDigit)) return ActivationPasswordError.NotHalfWidthDigits;
        if (value.Length is < ActivationPasswordMinLength or > ActivationPasswordMaxLength) return ActivationPasswordError.WrongLength;
        return ActivationPasswordError.None;
    }

    public static ConfirmationError CheckConfirmation(string? password, string? confirmation)
    {
        if (string.IsNullOrEmpty(confirmation)) return ConfirmationError.Required;
        return string.Equals(password, confirmation, StringComparison.Ordinal) ? ConfirmationError.None : ConfirmationError.Mismatch;
    }

    /// <summary>携帯メールアドレス: one plain address (no display name), 254 characters at most.</summary>
    public static MobileEmailError CheckMobileEmail(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return MobileEmailError.Required;
        if (value.Length > MobileEmailMaxLength) return MobileEmailError.TooLong;
        var at = value.LastIndexOf('@');
        var plain = value.All(c => c > ' ' && c < 0x7f && c is not ('<' or '>' or '(' or ')' or ',' or ';' or '"' or '\\'));
        if (!plain || at <= 0 || at == value.Length - 1 || !value[(at + 1)..].Contains('.')
            || !MailAddress.TryCreate(value, out var parsed) || parsed.Address != value)
            return MobileEmailError.Invalid;
        return MobileEmailError.None;
    }
}
