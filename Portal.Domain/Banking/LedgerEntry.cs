namespace Portal.Domain.Banking;

/// <summary>
/// One line of the ledger: money in (positive) or out (negative) of an account, with the balance right after it.
/// Entries are only ever appended.
/// </summary>
public sealed class LedgerEntry
{
    public const int DescriptionMaxLength = 40;

    public long Id { get; set; }
    public long AccountId { get; set; }

    /// <summary>When it was booked; its Japan date is the 日付 of the statement.</summary>
    public DateTimeOffset At { get; set; }

    /// <summary>摘要, e.g. 給与 or 口座振替 電気料金.</summary>
    public required string Description { get; set; }

    /// <summary>Signed yen: お預り金額 when positive, お支払金額 when negative; never zero.</summary>
    public long Amount { get; set; }

    /// <summary>差引残高: the account's balance right after this entry.</summary>
    public long BalanceAfter { get; set; }

    public Money Paid => Amount < 0 ? new Money(-Amount) : Money.Zero;
    public Money Received => Amount > 0 ? new Money(Amount) : Money.Zero;
}
