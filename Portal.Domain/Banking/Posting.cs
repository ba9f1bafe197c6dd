namespace Portal.Domain.Banking;

public enum PostingError { None, ZeroAmount, DescriptionRequired, DescriptionTooLong, InsufficientFunds }

/// <summary>
/// The ledger's arithmetic: what a posting may be, and the balance it leaves. The database applies the same rule in
/// the one statement that posts (decision 0009); this is the rule in words, and what the seed and tests use.
/// </summary>
public static class Posting
{
    /// <summary>A posting's own shape: a non-zero amount and a 摘要 of 1 to 40 characters.</summary>
    public static PostingError CheckInput(Money amount, string? description)
    {
        if (amount.IsZero) return PostingError.ZeroAmount;
        if (string.IsNullOrWhiteSpace(description)) return PostingError.DescriptionRequired;
        if (description.Length > LedgerEntry.DescriptionMaxLength) return PostingError.DescriptionTooLong;
        return PostingError.None;
    }

    /// <summary>The balance after the posting, or InsufficientFunds when it would go below zero.</summary>
    public static (PostingError Error, Money BalanceAfter) Apply(Money balance, Money signedAmount)
    {
        var after = balance + signedAmount;
        return after.IsNegative ? (PostingError.InsufficientFunds, balance) : (PostingError.None, after);
    }

    /// <summary>Whether entries, in booking order, are a consistent running balance from zero that never goes negative.</summary>
    public static bool IsConsistent(IEnumerable<(long Amount, long BalanceAfter)> entries)
    {
        var balance = Money.Zero;
        foreach (var (amount, balanceAfter) in entries)
        {
            balance += new Money(amount);
            if (amount == 0 || balance.IsNegative || balance.Yen != balanceAfter) return false;
        }
        return true;
    }
}

/// <summary>The totals of a statement period: お支払金額 and お預り金額 summed, and how many entries.</summary>
public sealed record StatementTotals(int Count, Money Paid, Money Received)
{
    public static readonly StatementTotals None = new(0, Money.Zero, Money.Zero);

    public static StatementTotals Of(IEnumerable<long> amounts)
    {
        int count = 0;
        Money paid = Money.Zero, received = Money.Zero;
        foreach (var amount in amounts)
        {
            count++;
            if (amount < 0) paid += new Money(-amount); else received += new Money(amount);
        }
        return new StatementTotals(count, paid, received);
    }
}
