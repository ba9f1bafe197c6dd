using System.Globalization;

namespace Portal.Domain.Banking;

/// <summary>
/// An amount of money in whole yen. The yen has no minor unit in banking, so a <c>long</c> is exact; there is no
/// decimal or floating point anywhere in the ledger.
/// </summary>
public readonly record struct Money(long Yen) : IComparable<Money>
{
    public static readonly Money Zero = new(0);

    public bool IsNegative => Yen < 0;
    public bool IsZero => Yen == 0;

    /// <summary>The size of the amount, whichever way it moves money.</summary>
    public Money Abs() => new(Math.Abs(Yen));

    // checked: an overflow is a bug to be told about, never a wrapped balance.
    public static Money operator +(Money a, Money b) => new(checked(a.Yen + b.Yen));
    public static Money operator -(Money a, Money b) => new(checked(a.Yen - b.Yen));
    public static Money operator -(Money a) => new(checked(-a.Yen));
    public static bool operator <(Money a, Money b) => a.Yen < b.Yen;
    public static bool operator >(Money a, Money b) => a.Yen > b.Yen;
    public static bool operator <=(Money a, Money b) => a.Yen <= b.Yen;
    public static bool operator >=(Money a, Money b) => a.Yen >= b.Yen;

    public int CompareTo(Money other) => Yen.CompareTo(other.Yen);

    /// <summary>12,345 — the digits with thousands separators; the screen adds 円.</summary>
    public string Digits() => Yen.ToString("#,0", CultureInfo.InvariantCulture);

    public override string ToString() => Digits();
}
