using Portal.Data;
using Portal.Domain.Banking;

namespace Portal.Banking.PayEasy;

/// <summary>What the customer typed on step 2: お客様番号 (納付番号), 確認番号 and, for a public body, 納付区分.</summary>
public sealed record BillQuery(string InstitutionNumber, string CustomerNumber, string ConfirmationNumber, string? PaymentCategory);

public enum BillLookupOutcome { Found, NotFound, Paid, Cancelled, Expired }

/// <summary>A bill as the billing center answers it: enough to show 払込内容確認 and to pay it.</summary>
public sealed record BilledItem(string Reference, string InstitutionNumber, string InstitutionName, string ChargeName,
    string PayerName, Money Amount, Money Fee, DateTimeOffset ExpiresAt);

public sealed record BillLookup(BillLookupOutcome Outcome, BilledItem? Bill = null);

/// <summary>
/// The billing center (the Multi-payment Network's role): the one door through which the portal finds 収納機関 and
/// bills and tells that a bill was paid. The screens and <see cref="PayEasyPayments"/> know only this interface; the
/// embedded implementation keeps demo bills in the portal's own database (decision 0012).
/// </summary>
public interface IBillingCenter
{
    Task<CollectingInstitution?> FindInstitutionAsync(string institutionNumber, CancellationToken cancellationToken = default);

    Task<BillLookup> FindBillAsync(BillQuery query, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the payment of <paramref name="amount"/> and <paramref name="fee"/> (what 払込内容確認 showed) inside the
    /// portal's payment transaction (<paramref name="db"/>): the embedded center marks the bill paid with a conditional
    /// UPDATE; a network connector would write its notification to an outbox table in the same transaction. False when
    /// the bill is no longer payable as shown (paid meanwhile, cancelled, expired, its amount changed).
    /// </summary>
    Task<bool> RecordPaymentAsync(PortalDbContext db, string billReference, Money amount, Money fee, string receiptNumber, DateTimeOffset at,
        CancellationToken cancellationToken = default);
}
