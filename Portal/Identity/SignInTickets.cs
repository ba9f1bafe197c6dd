using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Otp;
using Portal.Domain.SignIn;

namespace Portal.Identity;

/// <summary>
/// A redeemed ticket: the customer it was issued to, as stored now; what was checked before it; and whether the customer
/// is 利用中 now (a ticket without the code is then worth nothing).
/// </summary>
public sealed record RedeemedTicket(PortalUser Customer, string Factors, bool OtpInUse)
{
    public string UserId => Customer.Id;
}

/// <summary>Issues and redeems the single-use tickets of the sign-in handoff (docs/decisions/0002).</summary>
public sealed class SignInTickets(IDbContextFactory<PortalDbContext> dbs, TimeProvider clock)
{
    /// <summary>How often used and expired tickets are cleared away: every sign-in would be a DELETE more.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    /// <summary>Tickets are useless a few seconds after issue; older than this, they are deleted.</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(1);

    private long _nextSweepTicks;

    /// <returns>The secret to post to /account/signin; only its hash is stored.</returns>
    public async Task<string> IssueAsync(string userId, string factors, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var secret = SignInTicketRules.NewSecret();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await SweepWhenDueAsync(db, now, cancellationToken);
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
    /// mark are one UPDATE, so two posts of the same ticket cannot both succeed. The customer and their 登録状況 are read
    /// with the ticket, in one query.
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
        var redeemed = await (from t in db.SignInTickets
                              join u in db.Users on t.UserId equals u.Id
                              where t.SecretHash == hash
                              select new
                              {
                                  Customer = u,
                                  t.Factors,
                                  // As OtpProof.FindTokenInUseAsync: a 利用中 registration with its current token.
                                  InUse = db.OtpRegistrations.Any(r => r.UserId == u.Id && r.Status == RegistrationStatus.InUse
                                                                       && db.TokenIssues.Any(i => i.Id == r.CurrentIssueId)),
                              }).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return redeemed is null ? null : new RedeemedTicket(redeemed.Customer, redeemed.Factors, redeemed.InUse);
    }

    /// <summary>At most once per <see cref="SweepInterval"/> in this instance (another instance sweeps as well: harmless).</summary>
    private async Task SweepWhenDueAsync(PortalDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SweepInterval).UtcTicks, due) != due) return;
        var stale = now - KeptFor;
        await db.SignInTickets.Where(t => t.ExpiresAt < stale).ExecuteDeleteAsync(cancellationToken);
    }
}
