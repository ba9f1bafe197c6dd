using System.Globalization;
using System.Text;
using Portal.Domain.Otp;

namespace Portal.TokenApp;

/// <summary>
/// What a customer types on the 取引認証 screen, made exact: full-width digits become half-width, spaces and the
/// separators people write are dropped, as <see cref="OtpCode.Normalize"/> does for codes.
/// </summary>
public static class TransactionInput
{
    /// <summary>The 収納機関番号 as 5 ASCII digits, or null. Spaces and hyphens are dropped.</summary>
    public static string? InstitutionNumber(string? input)
    {
        var digits = Digits(input, allowGrouping: false);
        return digits is { Length: TransactionAuthentication.InstitutionNumberLength } ? digits : null;
    }

    /// <summary>
    /// The 払込金額 in yen (1 to <see cref="TransactionAuthentication.MaxAmountYen"/>), or null. Digit-group commas
    /// and a trailing 円 are accepted as the portal shows them ("12,000円").
    /// </summary>
    public static long? AmountYen(string? input)
    {
        if (input is null) return null;
        var trimmed = input.Trim().TrimEnd('円');
        var digits = Digits(trimmed, allowGrouping: true);
        if (digits is null) return null;
        digits = digits.TrimStart('0');
        // More than 10 significant digits is above the maximum whatever they are; also keeps long.Parse safe.
        if (digits.Length is 0 or > TransactionAuthentication.AmountWidth) return null;
        var amount = long.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
        return amount <= TransactionAuthentication.MaxAmountYen ? amount : null;
    }

    /// <summary>12,000円</summary>
    public static string FormatYen(long amount) => amount.ToString("N0", CultureInfo.InvariantCulture) + "円";

    private static string? Digits(string? input, bool allowGrouping)
    {
        if (input is null || input.Length > 40) return null;
        var digits = new StringBuilder(input.Length);
        foreach (var c in input)
        {
            if (char.IsAsciiDigit(c)) digits.Append(c);
            else if (c is >= '０' and <= '９') digits.Append((char)('0' + (c - '０')));
            else if (c is ' ' or '\u3000' or '\t') continue;
            else if (!allowGrouping && c is '-' or '－' or '\u2010' or '\u2212') continue;
            else if (allowGrouping && c is ',' or '，') continue;
            else return null;
        }
        return digits.ToString();
    }
}
