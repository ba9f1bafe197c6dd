using Portal.Domain;
using Portal.Domain.Banking;
using Portal.Resources;

namespace Portal.Banking;

/// <summary>How the screens write money and the account's wording.</summary>
public static class MoneyText
{
    /// <summary>12,345円</summary>
    public static string Yen(Money amount) => string.Format(Labels.Yen, amount.Digits());

    /// <summary>An empty cell for a zero お支払金額 / お預り金額, as on a passbook.</summary>
    public static string YenOrBlank(Money amount) => amount.IsZero ? "" : Yen(amount);

    public static string Kind(AccountKind kind) => kind switch
    {
        AccountKind.Ordinary => Labels.AccountKindOrdinary,
        _ => kind.ToString(),
    };

    /// <summary>2026年10月25日〜2026年11月24日</summary>
    public static string Range(StatementPeriod period) =>
        string.Format(Labels.StatementRange, JapanTime.FormatDate(period.From), JapanTime.FormatDate(period.To));

    /// <summary>The message for a period field, or null when it is fine.</summary>
    public static string? DateError(PeriodDateError error, string field, DateOnly today) => error switch
    {
        PeriodDateError.None => null,
        PeriodDateError.Required => string.Format(Labels.PeriodDateRequired, field),
        PeriodDateError.Malformed => string.Format(Labels.PeriodDateMalformed, field),
        PeriodDateError.TooFarBack => string.Format(Labels.PeriodTooFarBack, field, JapanTime.FormatDate(StatementPeriods.Earliest(today))),
        PeriodDateError.InFuture => string.Format(Labels.PeriodInFuture, field),
        PeriodDateError.EndBeforeStart => Labels.PeriodEndBeforeStart,
        _ => Labels.PeriodUnknown,
    };

    /// <summary>Every message of a refused period, one per line (the CSV endpoint's 400).</summary>
    public static string Errors(PeriodChoice choice, DateOnly today) =>
        choice.KindError != PeriodKindError.None
            ? Labels.PeriodUnknown
            : string.Join("\n", new[]
            {
                DateError(choice.FromError, Labels.PeriodFrom, today),
                DateError(choice.ToError, Labels.PeriodTo, today),
            }.Where(m => m is not null));
}
