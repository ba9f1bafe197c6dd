using Portal.Domain.Banking;

namespace Portal.Banking.PayEasy;

/// <summary>
/// 税金・各種料金の払込み, one method per step, and the 払込み履歴. Every method takes the signed-in customer's user ID
/// and reaches only that customer's account and payments.
/// </summary>
public sealed class PayEasyPayments
{
    public const int MaxPageSize = 100;

    /// <summary>Whether the customer may pay at all: 利用中, has a representative account, and is not stopped.</summary>
    public Task<PayEasyAccess> CheckAccessAsync(string userId, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Step 1: 収納機関番号 → the 収納機関 (its name, and whether it is a public body).</summary>
    public Task<InstitutionStep> FindInstitutionAsync(string userId, string? institutionNumber, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>
    /// Step 2: the bill, and a new confirmation (the idempotency key) for 払込内容確認. A bill that is not found counts
    /// toward the Pay-easy stop; bad field input changes nothing.
    /// </summary>
    public Task<BillLookupResult> LookUpBillAsync(string userId, string? institutionNumber, string? customerNumber, string? confirmationNumber,
        string? paymentCategory, string? sourceAddress, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Step 3 実行: proves the 取引認証 code and pays the confirmation once, however often it is called.</summary>
    public Task<ExecutionResult> ExecuteAsync(string userId, Guid confirmationKey, string? code, string? sourceAddress,
        CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>One accepted payment of the customer by 受付番号 (払込結果 after a reload, the history's detail).</summary>
    public Task<PaymentReceipt?> FindReceiptAsync(string userId, string receiptNumber, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>How many accepted payments the period has (受付日時 in the period, Japan days).</summary>
    public Task<int> CountHistoryAsync(string userId, StatementPeriod period, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>A page of the period's accepted payments, newest first.</summary>
    public Task<IReadOnlyList<PaymentReceipt>> GetHistoryPageAsync(string userId, StatementPeriod period, int page, int pageSize,
        CancellationToken cancellationToken = default) => throw new NotImplementedException();
}

/// <summary>Staff's side of Pay-easy: a customer's payments (read only) and lifting a stop.</summary>
public sealed class AdminPayEasy
{
    /// <summary>The customer's latest accepted payments, newest first.</summary>
    public Task<IReadOnlyList<PaymentReceipt>> GetPaymentsAsync(string userId, int max, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>The end of the customer's Pay-easy stop, or null when not stopped.</summary>
    public Task<DateTimeOffset?> GetStopAsync(string userId, CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Lifts the stop (audited with the admin and the reason). False when there was no stop to lift.</summary>
    public Task<bool> LiftStopAsync(string adminLoginId, string userId, string reason, string? sourceAddress, CancellationToken cancellationToken = default) => throw new NotImplementedException();
}
