using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Banking;

namespace Portal.Banking;

public enum PostingOutcome { Posted, InsufficientFunds, NoSuchAccount }

/// <summary>What a posting ended in: the entry and the balance after it, or why nothing was booked (and the balance).</summary>
public sealed record PostingResult(PostingOutcome Outcome, long? EntryId, Money Balance)
{
    public bool Posted => Outcome == PostingOutcome.Posted;
}

/// <summary>
/// The write side of the ledger: opening a representative account, and the one entry point that moves money,
/// <see cref="PostAsync"/>. Pay-easy debits through it; idempotency is the caller's (a payment row unique on its key).
/// </summary>
public sealed class Ledger(IDbContextFactory<PortalDbContext> dbs, TimeProvider clock, ILogger<Ledger> logger)
{
    /// <summary>本店: the only branch the portal knows yet.</summary>
    public const string HeadBranchCode = "001";
    public const string HeadBranchName = "本店";

    /// <summary>
    /// Books <paramref name="signedAmount"/> (negative: a debit) on the account with its 摘要. The balance moves in one
    /// conditional UPDATE that refuses to go below zero, so two racing debits cannot both pass; the entry is inserted
    /// with the balance that UPDATE left, in the same transaction (decision 0009). A database outage propagates.
    /// </summary>
    public async Task<PostingResult> PostAsync(long accountId, Money signedAmount, string description, DateTimeOffset at,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var result = await PostWithinAsync(db, accountId, signedAmount, description, at, cancellationToken);
        if (result.Posted) await transaction.CommitAsync(cancellationToken);
        return result;
    }

    /// <summary>
    /// The same posting inside the caller's open transaction on <paramref name="db"/>, for a use case that must move
    /// money together with its own rows (a Pay-easy payment); the caller commits or rolls back.
    /// </summary>
    public async Task<PostingResult> PostWithinAsync(PortalDbContext db, long accountId, Money signedAmount, string description,
        DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("A posting needs the caller's transaction.");
        description = description?.Trim() ?? ""; // checked as it is stored
        var error = Posting.CheckInput(signedAmount, description);
        if (error != PostingError.None) throw new ArgumentException($"Not a posting: {error}.", nameof(signedAmount));

        var amount = signedAmount.Yen;
        // The rule itself: one statement decides, under the row lock it takes. A second debit waiting on that lock
        // re-reads the committed balance and matches no row when it would overdraw.
        var changed = await db.Accounts
            .Where(a => a.Id == accountId && a.Balance + amount >= 0)
            .ExecuteUpdateAsync(set => set
                .SetProperty(a => a.Balance, a => a.Balance + amount)
                .SetProperty(a => a.Version, a => a.Version + 1), cancellationToken);
        var balance = await db.Accounts.Where(a => a.Id == accountId).Select(a => (long?)a.Balance).SingleOrDefaultAsync(cancellationToken);
        if (changed == 0)
        {
            var outcome = balance is null ? PostingOutcome.NoSuchAccount : PostingOutcome.InsufficientFunds;
            logger.LogInformation(new EventId(LogEvents.PostingRefused, nameof(LogEvents.PostingRefused)), "Posting of {Amount} yen on account {AccountId} refused: {Outcome}.",
                amount, accountId, outcome);
            return new PostingResult(outcome, null, new Money(balance ?? 0));
        }

        var entry = new LedgerEntry
        {
            AccountId = accountId, At = at.ToUniversalTime(), Description = description, Amount = amount, BalanceAfter = balance!.Value,
        };
        db.LedgerEntries.Add(entry);
        await db.SaveChangesAsync(cancellationToken);
        return new PostingResult(PostingOutcome.Posted, entry.Id, new Money(entry.BalanceAfter));
    }

    /// <summary>
    /// Opens the customer's representative account (balance zero) with a new random 7-digit 口座番号, or returns the
    /// one they already have. <paramref name="number"/> fixes the number (the demo seed's stable screenshots).
    /// </summary>
    public async Task<Account> OpenAsync(string userId, string holderKana, string? number = null, CancellationToken cancellationToken = default)
    {
        if (number is not null && !Account.IsAccountNumber(number)) throw new ArgumentException("7 digits", nameof(number));
        for (var attempt = 0; ; attempt++)
        {
            await using var db = await dbs.CreateDbContextAsync(cancellationToken);
            if (await db.Accounts.AsNoTracking().SingleOrDefaultAsync(a => a.UserId == userId, cancellationToken) is { } existing)
                return existing;
            var account = new Account
            {
                UserId = userId, BranchCode = HeadBranchCode, BranchName = HeadBranchName,
                Number = number ?? RandomNumberGenerator.GetInt32(1, 10_000_000).ToString("D7", System.Globalization.CultureInfo.InvariantCulture),
                HolderKana = holderKana, OpenedAt = clock.GetUtcNow(),
            };
            db.Accounts.Add(account);
            // A duplicate is either the same customer opening twice at once (found on the next round) or a number
            // already taken (another is drawn).
            if (await db.SaveAsync(cancellationToken) == SaveOutcome.Saved) return account;
            if (attempt == 5) throw new InvalidOperationException("No free account number after 6 attempts.");
        }
    }
}
