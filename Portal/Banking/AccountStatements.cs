using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Banking;

namespace Portal.Banking;

/// <summary>The account panel: 支店名, 科目, 口座番号, 口座名義, 現在の残高 and when it was read.</summary>
public sealed record AccountSummary(string BranchName, AccountKind Kind, string Number, string HolderKana, Money Balance, DateTimeOffset AsOf);

/// <summary>One line of the 入出金明細.</summary>
public sealed record StatementLine(DateTimeOffset At, string Description, Money Paid, Money Received, Money BalanceAfter);

/// <summary>
/// The read side of 【代表口座の入出金】. Every method takes the signed-in customer's user ID and finds the account from
/// it, so no request can name another customer's account. Pages, totals and the CSV are all computed in the database.
/// </summary>
public sealed class AccountStatements(IDbContextFactory<PortalDbContext> dbs, TimeProvider clock)
{
    public const int MaxPageSize = 100;

    public async Task<AccountSummary?> GetSummaryAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var asOf = clock.GetUtcNow();
        return await db.Accounts.AsNoTracking().Where(a => a.UserId == userId)
            .Select(a => new AccountSummary(a.BranchName, a.Kind, a.Number, a.HolderKana, new Money(a.Balance), asOf))
            .SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>How many entries the period has, and its お支払金額 and お預り金額 summed.</summary>
    public async Task<StatementTotals> GetTotalsAsync(string userId, StatementPeriod period, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var accountId = await AccountIdAsync(db, userId, cancellationToken);
        if (accountId is null) return StatementTotals.None;
        var totals = await Entries(db, accountId.Value, period)
            .GroupBy(e => 1)
            .Select(g => new
            {
                Count = g.Count(),
                Paid = g.Sum(e => e.Amount < 0 ? -e.Amount : 0),
                Received = g.Sum(e => e.Amount > 0 ? e.Amount : 0),
            })
            .SingleOrDefaultAsync(cancellationToken);
        return totals is null ? StatementTotals.None : new StatementTotals(totals.Count, new Money(totals.Paid), new Money(totals.Received));
    }

    /// <summary>A page of the period's entries, newest first.</summary>
    public async Task<IReadOnlyList<StatementLine>> GetPageAsync(string userId, StatementPeriod period, int page, int pageSize,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var size = Math.Clamp(pageSize, 1, MaxPageSize);
        var accountId = await AccountIdAsync(db, userId, cancellationToken);
        if (accountId is null) return [];
        return await Lines(Entries(db, accountId.Value, period).OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Skip(Math.Max(page, 0) * size).Take(size)).ToListAsync(cancellationToken);
    }

    /// <summary>Every entry of the period, oldest first as in a passbook, streamed (the CSV).</summary>
    public async IAsyncEnumerable<StatementLine> StreamAsync(string userId, StatementPeriod period,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var accountId = await AccountIdAsync(db, userId, cancellationToken);
        if (accountId is null) yield break;
        var lines = Lines(Entries(db, accountId.Value, period).OrderBy(e => e.At).ThenBy(e => e.Id)).AsAsyncEnumerable();
        await foreach (var line in lines.WithCancellation(cancellationToken)) yield return line;
    }

    /// <summary>
    /// The customer's own account: the one place the account is chosen. Looked up first, so that the entries' query
    /// names one account and PostgreSQL reads the (AccountId, At, Id) index in order instead of joining and sorting.
    /// </summary>
    private static Task<long?> AccountIdAsync(PortalDbContext db, string userId, CancellationToken cancellationToken) =>
        db.Accounts.Where(a => a.UserId == userId).Select(a => (long?)a.Id).SingleOrDefaultAsync(cancellationToken);

    private static IQueryable<LedgerEntry> Entries(PortalDbContext db, long accountId, StatementPeriod period)
    {
        var startsAt = period.StartsAt;
        var endsBefore = period.EndsBefore;
        return db.LedgerEntries.AsNoTracking().Where(e => e.AccountId == accountId && e.At >= startsAt && e.At < endsBefore);
    }

    private static IQueryable<StatementLine> Lines(IQueryable<LedgerEntry> entries) =>
        entries.Select(e => new StatementLine(e.At, e.Description,
            new Money(e.Amount < 0 ? -e.Amount : 0), new Money(e.Amount > 0 ? e.Amount : 0), new Money(e.BalanceAfter)));
}
