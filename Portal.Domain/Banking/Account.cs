namespace Portal.Domain.Banking;

/// <summary>科目. A representative account is always 普通 (ordinary deposit).</summary>
public enum AccountKind { Ordinary }

/// <summary>
/// A customer's representative account (代表口座). The balance is the sum of the account's ledger entries; it is
/// stored here only so that one conditional UPDATE can post and refuse an overdraft atomically (decision 0009).
/// </summary>
public sealed class Account
{
    public const int NumberLength = 7;
    public const int HolderKanaMaxLength = 60;

    public long Id { get; set; }

    /// <summary>The customer (Identity user ID); one representative account per customer.</summary>
    public required string UserId { get; set; }

    public required string BranchCode { get; set; }
    public required string BranchName { get; set; }
    public AccountKind Kind { get; set; } = AccountKind.Ordinary;

    /// <summary>口座番号: 7 digits, zero-padded.</summary>
    public required string Number { get; set; }

    /// <summary>口座名義 in katakana.</summary>
    public required string HolderKana { get; set; }

    /// <summary>現在の残高 in yen; changed only by a posting, never below zero (the database refuses).</summary>
    public long Balance { get; set; }

    /// <summary>Moves with every posting.</summary>
    public long Version { get; set; }

    public DateTimeOffset OpenedAt { get; set; }

    /// <summary>Whether a string is a 口座番号: exactly 7 half-width digits.</summary>
    public static bool IsAccountNumber(string? value) =>
        value is { Length: NumberLength } && value.All(char.IsAsciiDigit);
}
