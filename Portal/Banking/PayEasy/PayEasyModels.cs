using Portal.Domain.Banking;

namespace Portal.Banking.PayEasy;

/// <summary>Why a customer cannot use Pay-easy right now.</summary>
public enum PayEasyBlock { None, NotInUse, NoAccount, Stopped,
    /// <summary>This session was signed in with the password alone: money moves only after a sign-in with the code.</summary>
    CodeSignInRequired,
    /// <summary>利用停止 of the customer's internet banking (not Pay-easy's own stop): only staff lift it.</summary>
    ServiceStopped,
    /// <summary>The database did not answer: try again; nothing was changed.</summary>
    Unavailable }

/// <param name="Limit">When allowed: the 1日の払込限度額 in force (smaller for a new token, and until when).</param>
public sealed record PayEasyAccess(PayEasyBlock Block, DateTimeOffset? StoppedUntil = null, PaymentLimit? Limit = null)
{
    public bool Allowed => Block == PayEasyBlock.None;
}

/// <summary>Step 1's answer: the 収納機関, or why not.</summary>
public enum InstitutionOutcome { Found, Invalid, NotFound, Blocked, Unavailable }

public sealed record InstitutionStep(InstitutionOutcome Outcome, PayEasyFieldError Error = PayEasyFieldError.None,
    CollectingInstitution? Institution = null, PayEasyAccess? Access = null);

public enum LookupOutcome
{
    /// <summary>払込内容確認 can be shown: <see cref="BillLookupResult.Confirmation"/>.</summary>
    Confirm,
    Invalid, NotFound, Paid, Cancelled, Expired, InsufficientFunds, OverDailyLimit,
    /// <summary>Pay-easy is stopped (by this failure or before) or otherwise not allowed: see Access.</summary>
    Blocked,
    /// <summary>The database did not answer: try again; nothing was counted.</summary>
    Unavailable,
}

/// <summary>Field errors of step 2, one per field, for the messages beside the fields.</summary>
public sealed record BillQueryErrors(PayEasyFieldError CustomerNumber, PayEasyFieldError ConfirmationNumber, PayEasyFieldError PaymentCategory)
{
    public static readonly BillQueryErrors None = new(PayEasyFieldError.None, PayEasyFieldError.None, PayEasyFieldError.None);
    public bool Any => this != None;
}

/// <summary>
/// 払込内容確認: what will be paid, from which account, and the numbers to type into the token app's 取引認証.
/// <see cref="Key"/> is the idempotency key: the 実行 names it and nothing else.
/// </summary>
public sealed record PaymentConfirmation(Guid Key, string InstitutionNumber, string InstitutionName, string ChargeName,
    string PayerName, string MaskedCustomerNumber, Money Amount, Money Fee, Money Total, string AccountBranchName, string AccountNumber,
    Money Balance, Money BalanceAfter);

public sealed record BillLookupResult(LookupOutcome Outcome, PaymentConfirmation? Confirmation = null,
    BillQueryErrors? Errors = null, PayEasyAccess? Access = null, int FailuresLeft = 0);

public enum ExecutionOutcome
{
    Accepted,
    /// <summary>The 取引認証用ワンタイムパスワード is not six digits.</summary>
    InvalidCode,
    WrongCode, CodeUsed, LockedOut,
    /// <summary>This code was just used for another payment with the same 収納機関番号 and amount: the next code will do.</summary>
    WaitForNextCode,
    /// <summary>Another 実行 of the same confirmation is running; its result will be the result.</summary>
    InProgress,
    BillNotPayable, InsufficientFunds, DailyLimit,
    /// <summary>The confirmation is unknown to this customer, too old, or already refused: start over.</summary>
    ConfirmationGone,
    Blocked,
    /// <summary>The database did not answer: send the same 実行 again (with the same code); it pays at most once.</summary>
    Unavailable,
}

/// <summary>払込結果 and a line of the 払込み履歴.</summary>
public sealed record PaymentReceipt(string ReceiptNumber, DateTimeOffset AcceptedAt, string InstitutionNumber, string InstitutionName,
    bool IsPublicBody, string ChargeName, string PayerName, string MaskedCustomerNumber, Money Amount, Money Fee, Money Total, Money BalanceAfter,
    PaymentStatus Status);

public sealed record ExecutionResult(ExecutionOutcome Outcome, PaymentReceipt? Receipt = null, DateTimeOffset? LockedUntil = null,
    PayEasyAccess? Access = null);
