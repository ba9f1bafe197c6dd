using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.SignIn;

namespace Portal.Identity;

public sealed record RedeemedTicket(string UserId, string Factors);

/// <summary>Issues and redeems the single-use tickets of the sign-in handoff (docs/decisions/0002).</summary>
public sealed class SignInTickets(IDbContextFactory<PortalDbContext> dbs, TimeProvider clock)
{
    /// <returns>The secret to post to /account/signin; only its hash is stored.</returns>
    public async Task<string> IssueAsync(string userId, string factors, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var secret = SignInTicketRules.NewSecret();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        // Tickets are useless a few seconds after issue; keep the table small.
        var stale = now - TimeSpan.FromDays(1);
        await db.SignInTickets.Where(t => t.ExpiresAt < stale).ExecuteDeleteAsync(cancellationToken);
        db.SignInTickets.Add(new SignInTicket
        {
            SecretHash = SignInTicketRules.Hash(secret),
            UserId = userId,
            Factors = factors,
            CreatedAt = now,
            ExpiresAt = now + SignInTicketRules.Lifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return secret;
    }

    /// <summary>
    /// Marks the ticket used and returns whose it is; null when unknown, expired or already used. The check and the
    /// mark are one UPDATE, so two posts of the same ticket cannot both succeed.
    /// </summary>
    public async Task<RedeemedTicket?> RedeemAsync(string? secret, CancellationToken cancellationToken = default)
    {
        if (!SignInTicketRules.LooksLikeSecret(secret)) return null;
        var hash = SignInTicketRules.Hash(secret!);
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var claimed = await db.SignInTickets
            .Where(t => t.SecretHash == hash && t.RedeemedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RedeemedAt, now), cancellationToken);
        if (claimed != 1) return null;
        return await db.SignInTickets.Where(t => t.SecretHash == hash)
            .Select(t => new RedeemedTicket(t.UserId, t.Factors))
            .SingleAsync(cancellationToken);
    }
}
