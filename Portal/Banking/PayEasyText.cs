using Portal.Banking.PayEasy;
using Portal.Domain;
using Portal.Domain.Banking;
using Portal.Resources;

namespace Portal.Banking;

/// <summary>The Pay-easy screens' words for each answer of <see cref="PayEasyPayments"/>, from the one resource file.</summary>
public static class PayEasyText
{
    /// <summary>From this many tries left, a wrong お客様番号 says how many remain before the day's stop.</summary>
    public const int WarnWhenFailuresLeft = 3;

    /// <summary>
    /// The message beside a digit field, or null when it is fine. A field of <paramref name="exact"/> length (収納機関番号)
    /// says "5桁で" whether too short or too long; the others say how many digits at most.
    /// </summary>
    public static string? Field(PayEasyFieldError error, string field, int length, bool exact = false) => error switch
    {
        PayEasyFieldError.None => null,
        PayEasyFieldError.Required => string.Format(Labels.PayEasyFieldRequired, field),
        PayEasyFieldError.NotHalfWidthDigits => string.Format(Labels.PayEasyFieldNotDigits, field),
        PayEasyFieldError.TooLong when !exact => string.Format(Labels.PayEasyFieldTooLong, field, length),
        _ => string.Format(Labels.PayEasyFieldWrongLength, field, length),
    };

    /// <summary>Why the customer cannot pay now, or null when they can.</summary>
    public static string? Access(PayEasyAccess? access, string helpDesk) => access?.Block switch
    {
        null or PayEasyBlock.None => null,
        PayEasyBlock.NotInUse => Labels.PayEasyNotInUse,
        PayEasyBlock.NoAccount => Labels.PayEasyNoAccount,
        PayEasyBlock.CodeSignInRequired => Labels.PayEasyCodeSignInRequired,
        PayEasyBlock.Unavailable => Labels.DatabaseUnavailable,
        PayEasyBlock.ServiceStopped => string.Format(Labels.SignInStopped, helpDesk),
        _ => string.Format(Labels.PayEasyStopped, access.StoppedUntil is { } until ? JapanTime.FormatDateTime(until) : "", helpDesk),
    };

    /// <summary>A refused step 2 that is not a field error nor a block (the page shows those): the bill or the account.</summary>
    public static string? Lookup(BillLookupResult result, bool publicBody, PaymentLimit? limit) => result.Outcome switch
    {
        LookupOutcome.NotFound => NotFound(result.FailuresLeft, publicBody),
        LookupOutcome.Paid => Labels.BillPaid,
        LookupOutcome.Cancelled => Labels.BillCancelled,
        LookupOutcome.Expired => Labels.BillExpired,
        LookupOutcome.InsufficientFunds => Labels.PayEasyInsufficientFunds,
        LookupOutcome.OverDailyLimit => OverDailyLimit(limit),
        LookupOutcome.Unavailable => Labels.DatabaseUnavailable,
        _ => null,
    };

    private static string NotFound(int failuresLeft, bool publicBody)
    {
        var message = string.Format(Labels.BillNotFound, publicBody ? Labels.PaymentNumber : Labels.CustomerNumber);
        return failuresLeft is > 0 and <= WarnWhenFailuresLeft ? message + string.Format(Labels.BillNotFoundFailuresLeft, failuresLeft) : message;
    }

    /// <summary>The message beside the 取引認証用ワンタイムパスワード field, or null when the refusal is not about the code.</summary>
    public static string? CodeError(ExecutionOutcome outcome) => outcome switch
    {
        ExecutionOutcome.InvalidCode => Labels.TransactionAuthCodeMalformed,
        ExecutionOutcome.WrongCode => Labels.TransactionAuthCodeWrong,
        ExecutionOutcome.CodeUsed => Labels.TransactionAuthCodeUsed,
        ExecutionOutcome.WaitForNextCode => Labels.TransactionAuthCodeWaitNext,
        _ => null,
    };

    /// <summary>A refused 実行 that is not about the code itself nor a block (the page shows those).</summary>
    public static string? Execution(ExecutionResult result, string helpDesk, PaymentLimit? limit) => result.Outcome switch
    {
        ExecutionOutcome.LockedOut => string.Format(Labels.PayEasyLocked,
            result.LockedUntil is { } until ? JapanTime.FormatDateTime(until) : "", helpDesk),
        ExecutionOutcome.InProgress => Labels.PayEasyInProgress,
        ExecutionOutcome.BillNotPayable => Labels.BillNotPayable,
        ExecutionOutcome.InsufficientFunds => Labels.PayEasyInsufficientFunds,
        ExecutionOutcome.DailyLimit => OverDailyLimit(limit),
        ExecutionOutcome.ConfirmationGone => Labels.PayEasyConfirmationGone,
        ExecutionOutcome.Unavailable => Labels.DatabaseUnavailable,
        _ => null,
    };

    /// <summary>The limit that refused the payment, and for a new token until when it holds.</summary>
    private static string OverDailyLimit(PaymentLimit? limit) =>
        string.Format(Labels.PayEasyOverDailyLimit, limit is null ? "" : MoneyText.Yen(limit.Daily))
        + (NewTokenLimit(limit) is { } newToken ? newToken : "");

    /// <summary>For the first hours of a new token: its smaller limit and when it ends (払込内容確認 and the limit message).</summary>
    public static string? NewTokenLimit(PaymentLimit? limit) => limit?.NewTokenUntil is { } until
        ? string.Format(Labels.PayEasyNewTokenLimit, JapanTime.FormatDateTime(until), MoneyText.Yen(limit.Daily))
        : null;

    /// <summary>状態 of a payment in the history: 受付済 once accepted.</summary>
    public static string State(PaymentStatus status) => status == PaymentStatus.Accepted ? Labels.PaymentStateAccepted : Labels.PaymentStateOther;

    /// <summary>本店 普通 1234567: Pay-easy debits the representative account, which is a 普通 account.</summary>
    public static string Account(string branchName, string number) =>
        string.Format(Labels.AccountLine, branchName, MoneyText.Kind(AccountKind.Ordinary), number);
}
