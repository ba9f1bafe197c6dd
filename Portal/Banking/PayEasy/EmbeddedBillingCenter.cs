using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Banking;

namespace Portal.Banking.PayEasy;

/// <summary>
/// The billing center on the portal's own database: 収納機関 and their bills in two tables, paid by a conditional
/// UPDATE inside the payment's transaction. The embedded default and the tests use it; a connector to the real
/// Multi-payment Network would implement <see cref="IBillingCenter"/> instead (decision 0012).
/// </summary>
public sealed class EmbeddedBillingCenter(IDbContextFactory<PortalDbContext> dbs) : IBillingCenter
{
    public async Task<CollectingInstitution?> FindInstitutionAsync(string institutionNumber, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.CollectingInstitutions.AsNoTracking().SingleOrDefaultAsync(i => i.Number == institutionNumber, cancellationToken);
    }

    public async Task<BillLookup> FindBillAsync(BillQuery query, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var found = await (from b in db.Bills.AsNoTracking()
                           join i in db.CollectingInstitutions on b.InstitutionNumber equals i.Number
                           where b.InstitutionNumber == query.InstitutionNumber && b.CustomerNumber == query.CustomerNumber
                                 && b.ConfirmationNumber == query.ConfirmationNumber
                                 && (!i.IsPublicBody || b.PaymentCategory == query.PaymentCategory)
                           select new { Bill = b, InstitutionName = i.Name }).SingleOrDefaultAsync(cancellationToken);
        if (found is null) return new BillLookup(BillLookupOutcome.NotFound);
        var bill = found.Bill;
        var item = new BilledItem(Reference(bill.Id), bill.InstitutionNumber, found.InstitutionName, bill.ChargeName, bill.PayerName,
            new Money(bill.Amount), new Money(bill.Fee), bill.ExpiresAt);
        var outcome = bill.Status switch
        {
            BillStatus.Paid => BillLookupOutcome.Paid,
            BillStatus.Cancelled => BillLookupOutcome.Cancelled,
            _ when bill.ExpiresAt <= now => BillLookupOutcome.Expired,
            _ => BillLookupOutcome.Found,
        };
        return new BillLookup(outcome, item);
    }

    public async Task<bool> RecordPaymentAsync(PortalDbContext db, string billReference, Money amount, Money fee, string receiptNumber,
        DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (!long.TryParse(billReference, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) return false;
        // A bill is paid once, and only as it was shown: the second payment, or one for a changed amount, matches no row,
        // whichever instance or tab sends it.
        return await db.Bills
            .Where(b => b.Id == id && b.Status == BillStatus.Unpaid && b.ExpiresAt > at && b.Amount == amount.Yen && b.Fee == fee.Yen)
            .ExecuteUpdateAsync(set => set
                .SetProperty(b => b.Status, BillStatus.Paid)
                .SetProperty(b => b.PaidAt, at)
                .SetProperty(b => b.ReceiptNumber, receiptNumber), cancellationToken) == 1;
    }

    private static string Reference(long billId) => billId.ToString(CultureInfo.InvariantCulture);
}
