namespace Portal.Domain.Banking;

/// <summary>収納機関: who a Pay-easy bill is paid to. A public body (地方公共団体 etc.) asks 納付番号・確認番号・納付区分.</summary>
public sealed class CollectingInstitution
{
    public const int NumberLength = 5;

    /// <summary>収納機関番号: 5 half-width digits.</summary>
    public required string Number { get; set; }

    public required string Name { get; set; }
    public bool IsPublicBody { get; set; }
}

public enum BillStatus { Unpaid, Paid, Cancelled }

/// <summary>A bill as the embedded billing center holds it (the Multi-payment Network's role for the portal).</summary>
public sealed class Bill
{
    public const int CustomerNumberMaxLength = 20;
    public const int ConfirmationNumberMaxLength = 6;
    public const int PaymentCategoryMaxLength = 3;

    public long Id { get; set; }
    public required string InstitutionNumber { get; set; }

    /// <summary>お客様番号 (納付番号 for a public body): up to 20 digits.</summary>
    public required string CustomerNumber { get; set; }

    /// <summary>確認番号: up to 6 digits.</summary>
    public required string ConfirmationNumber { get; set; }

    /// <summary>納付区分: public bodies only, up to 3 digits.</summary>
    public string? PaymentCategory { get; set; }

    /// <summary>料金名, e.g. 市県民税（普通徴収）第3期.</summary>
    public required string ChargeName { get; set; }

    /// <summary>お客様氏名 as billed.</summary>
    public required string PayerName { get; set; }

    public long Amount { get; set; }
    public long Fee { get; set; }

    /// <summary>The end of the 払込期限: after it the bill is expired.</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    public BillStatus Status { get; set; }
    public DateTimeOffset? PaidAt { get; set; }

    /// <summary>The portal's 受付番号 of the payment that paid it.</summary>
    public string? ReceiptNumber { get; set; }
}

/// <summary>
/// Pending: shown on 払込内容確認, not yet executed. Processing: one 実行 holds it. Accepted: 受付済, paid.
/// Refused: the execution was refused for good (paid elsewhere, funds, limit); a new lookup starts over.
/// </summary>
public enum PaymentStatus { Pending, Processing, Accepted, Refused }

/// <summary>
/// One Pay-easy payment from the confirmation on: its ID is the idempotency key the 払込内容確認 screen carries, so a
/// retried or doubled 実行 finds the same row and never pays twice. What is paid is what this row says, never what a
/// later request says.
/// </summary>
public sealed class Payment
{
    public const int ReceiptNumberLength = 16;

    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public long AccountId { get; set; }

    /// <summary>The billing center's reference to the bill.</summary>
    public required string BillReference { get; set; }

    public required string InstitutionNumber { get; set; }
    public required string InstitutionName { get; set; }

    /// <summary>A public body's bill: its number is a 納付番号, not an お客様番号.</summary>
    public bool IsPublicBody { get; set; }

    public required string ChargeName { get; set; }
    public required string PayerName { get; set; }

    /// <summary>お客様番号 with all but its last four digits hidden; the full number is never stored with the payment.</summary>
    public required string MaskedCustomerNumber { get; set; }

    public long Amount { get; set; }
    public long Fee { get; set; }
    public long Total => Amount + Fee;

    public PaymentStatus Status { get; set; }
    public PaymentRefusal? Refusal { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the 実行 that holds it began; a holder that died is taken over after <see cref="PayEasyRules.ProcessingLease"/>.</summary>
    public DateTimeOffset? ProcessingSince { get; set; }

    /// <summary>The holding 実行's own token: every later write of that 実行 names it, so a holder that was taken over writes nothing.</summary>
    public Guid? HoldId { get; set; }

    /// <summary>受付日時.</summary>
    public DateTimeOffset? AcceptedAt { get; set; }

    /// <summary>受付番号, given when accepted.</summary>
    public string? ReceiptNumber { get; set; }

    public long? LedgerEntryId { get; set; }
    public long? BalanceAfter { get; set; }
}

/// <summary>Why an execution was refused for good.</summary>
public enum PaymentRefusal { BillNotPayable, InsufficientFunds, DailyLimit }

/// <summary>The Pay-easy stop after too many wrong お客様番号/確認番号: one row per customer who ever got one wrong.</summary>
public sealed class PayEasyStop
{
    public required string UserId { get; set; }

    /// <summary>Misses on the Japan day of <see cref="LastFailureAt"/>; only a completed payment or that day's end resets it.</summary>
    public int ConsecutiveFailures { get; set; }

    /// <summary>The last miss: a count from an earlier Japan day no longer counts.</summary>
    public DateTimeOffset? LastFailureAt { get; set; }

    /// <summary>Pay-easy is refused until this instant (the end of the Japan day the stop began).</summary>
    public DateTimeOffset? StoppedUntil { get; set; }

    public long Version { get; set; }
}

public enum PayEasyFieldError { None, Required, NotHalfWidthDigits, TooLong, WrongLength }

/// <summary>The Pay-easy rules of SPEC section 6 in words.</summary>
public static class PayEasyRules
{
    public const long DefaultDailyLimitYen = 1_000_000;
    public const int FailuresToStop = 10;

    /// <summary>How long one 実行 may hold a payment before another attempt may take it over.</summary>
    public static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(2);

    /// <summary>収納機関番号: exactly 5 half-width digits.</summary>
    public static PayEasyFieldError CheckInstitutionNumber(string? value) =>
        CheckDigits(value, CollectingInstitution.NumberLength, exact: true);

    /// <summary>お客様番号 / 納付番号: 1 to 20 half-width digits.</summary>
    public static PayEasyFieldError CheckCustomerNumber(string? value) => CheckDigits(value, Bill.CustomerNumberMaxLength, exact: false);

    /// <summary>確認番号: 1 to 6 half-width digits.</summary>
    public static PayEasyFieldError CheckConfirmationNumber(string? value) => CheckDigits(value, Bill.ConfirmationNumberMaxLength, exact: false);

    /// <summary>納付区分: 1 to 3 half-width digits.</summary>
    public static PayEasyFieldError CheckPaymentCategory(string? value) => CheckDigits(value, Bill.PaymentCategoryMaxLength, exact: false);

    /// <summary>
    /// Half-width digits only: a full-width digit, a space or markup is refused with its own message rather than
    /// silently changed, so the customer sees exactly the number that is looked up.
    /// </summary>
    private static PayEasyFieldError CheckDigits(string? value, int length, bool exact)
    {
        if (string.IsNullOrEmpty(value)) return PayEasyFieldError.Required;
        if (!value.All(char.IsAsciiDigit)) return PayEasyFieldError.NotHalfWidthDigits;
        if (value.Length > length) return PayEasyFieldError.TooLong;
        if (exact && value.Length != length) return PayEasyFieldError.WrongLength;
        return PayEasyFieldError.None;
    }

    /// <summary>****5678: the last four digits, the rest hidden (mail, history, admin).</summary>
    public static string Mask(string customerNumber) =>
        customerNumber.Length <= 4 ? new string('*', customerNumber.Length) : new string('*', customerNumber.Length - 4) + customerNumber[^4..];

    /// <summary>A stop that begins at <paramref name="now"/> lasts to the end of that Japan day.</summary>
    public static DateTimeOffset StopEndsAt(DateTimeOffset now) => JapanTime.StartOf(JapanTime.DateOf(now).AddDays(1));

    /// <summary>
    /// Whether a billed amount can be paid and bound to a 取引認証 code: 1 yen up to the code's largest amount, and a fee
    /// that is not negative. A billing center that sends anything else is refused at the lookup.
    /// </summary>
    public static bool IsPayable(Money amount, Money fee) =>
        amount.Yen is >= 1 and <= Otp.TransactionAuthentication.MaxAmountYen && !fee.IsNegative;

    /// <summary>Whether the day's payments so far plus this one stay within the 1日の払込限度額.</summary>
    public static bool WithinDailyLimit(Money paidToday, Money payment, Money dailyLimit) => paidToday + payment <= dailyLimit;

    /// <summary>
    /// The 1日の払込限度額 in force at <paramref name="now"/> for a token whose use started at <paramref name="startedAt"/>:
    /// for the first hours of a new token the smaller new-token limit (SPEC 7: a password thief who starts a token of their
    /// own cannot empty the account before the customer reads the notices), the bank's limit after that.
    /// </summary>
    public static PaymentLimit LimitAt(DateTimeOffset startedAt, DateTimeOffset now, Money bankLimit, NewTokenLimit newToken)
    {
        var reducedUntil = startedAt + newToken.Period;
        return now < reducedUntil && newToken.DailyLimit < bankLimit
            ? new PaymentLimit(newToken.DailyLimit, reducedUntil)
            : new PaymentLimit(bankLimit, null);
    }
}

/// <summary>The limit of a new token: <paramref name="DailyLimit"/> a Japan day for <paramref name="Period"/> after its 利用開始.</summary>
public sealed record NewTokenLimit(Money DailyLimit, TimeSpan Period);

/// <summary>The 1日の払込限度額 in force, and until when it is the new-token limit (null: the bank's own limit).</summary>
public sealed record PaymentLimit(Money Daily, DateTimeOffset? NewTokenUntil)
{
    public bool IsNewTokenLimit => NewTokenUntil is not null;
}
