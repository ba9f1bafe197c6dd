using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain;
using Portal.Domain.Banking;

namespace Portal.Banking.PayEasy;

/// <summary>
/// The embedded billing center's demo 収納機関 and bills: a city's 市県民税 (a public body), an electricity company and
/// a mail-order shop, some payable, some paid, cancelled or expired. README lists the payable ones. Development only.
/// </summary>
public static class DemoBills
{
    public static readonly IReadOnlyList<CollectingInstitution> Institutions =
    [
        new() { Number = "01234", Name = "キタシン市", IsPublicBody = true },
        new() { Number = "58021", Name = "北新電力株式会社" },
        new() { Number = "71450", Name = "キタシン通販株式会社" },
    ];

    /// <summary>The bills, with 払込期限 counted from <paramref name="today"/> (Japan date).</summary>
    public static IReadOnlyList<Bill> Generate(DateOnly today)
    {
        DateTimeOffset Due(int days) => JapanTime.StartOf(today.AddDays(days + 1));
        Bill Tax(string number, string confirmation, string category, string charge, long amount, int dueDays, BillStatus status = BillStatus.Unpaid) =>
            new()
            {
                InstitutionNumber = "01234", CustomerNumber = number, ConfirmationNumber = confirmation, PaymentCategory = category,
                ChargeName = charge, PayerName = "北 新太郎", Amount = amount, Fee = 0, ExpiresAt = Due(dueDays), Status = status,
            };
        Bill Charge(string institution, string number, string confirmation, string charge, string payer, long amount, long fee, int dueDays,
            BillStatus status = BillStatus.Unpaid) =>
            new()
            {
                InstitutionNumber = institution, CustomerNumber = number, ConfirmationNumber = confirmation, ChargeName = charge,
                PayerName = payer, Amount = amount, Fee = fee, ExpiresAt = Due(dueDays), Status = status,
            };

        return
        [
            Tax("12345678901234567890", "123456", "001", "市県民税（普通徴収）第3期", 32_500, 30),
            Tax("12345678901234567891", "234567", "001", "市県民税（普通徴収）第4期", 32_500, 90),
            Tax("12345678901234567880", "345678", "001", "市県民税（普通徴収）第2期", 32_500, 0, BillStatus.Paid),
            Tax("12345678901234567870", "456789", "002", "固定資産税 第1期", 58_300, -20),
            Charge("58021", "3000123456", "4321", "電気料金 11月分", "キタ シンタロウ", 8_640, 0, 20),
            Charge("58021", "3000123457", "5432", "電気料金 11月分", "ミナミ ハナコ", 6_210, 0, 20),
            Charge("58021", "3000123458", "6543", "電気料金 10月分", "キタ シンタロウ", 9_120, 0, 10, BillStatus.Paid),
            Charge("71450", "987654321012", "778899", "通信販売代金（ご注文番号 A-1024）", "キタ シンタロウ", 12_800, 220, 14),
            Charge("71450", "987654321013", "889900", "通信販売代金（ご注文番号 A-1025）", "ヒガシ イチロウ", 4_980, 220, 14, BillStatus.Cancelled),
        ];
    }

    /// <summary>Adds the institutions and bills once (a database that has any institution is left alone).</summary>
    public static async Task SeedAsync(PortalDbContext db, DateOnly today, CancellationToken cancellationToken = default)
    {
        if (await db.CollectingInstitutions.AnyAsync(cancellationToken)) return;
        db.CollectingInstitutions.AddRange(Institutions.Select(i => new CollectingInstitution { Number = i.Number, Name = i.Name, IsPublicBody = i.IsPublicBody }));
        db.Bills.AddRange(Generate(today));
        await db.SaveAsync(cancellationToken); // another instance seeding at the same moment wins; that is fine
    }
}
