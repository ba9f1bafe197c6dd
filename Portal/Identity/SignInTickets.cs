using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.SignIn;

namespace Portal.Identity;

/// <summary>
/// A redeemed ticket: the customer it was issued to, as stored now; what was checked before it; whether the customer
/// is 利用中 now (a ticket without the code is then worth nothing); the customer's roles, for the principal; and whether
/// 利用停止 is in force (then the ticket is worth nothing at all).
/// </summary>
public sealed record RedeemedTicket(PortalUser Customer, string Factors, bool OtpInUse, IReadOnlyList<string> Roles, bool Stopped = false)
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
    /// mark are one UPDATE, so two posts of the same ticket cannot both succeed. The customer, their 登録状況 and their
    /// roles are read with the ticket, in one query.
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
                                  InUse = db.TokensInUse.Any(i => i.UserId == u.Id),
                                  Stopped = db.StopsInForce.Any(s => s.UserId == u.Id),
                                  // What the principal holds besides the user row (PortalClaimsPrincipalFactory.Principal).
                                  Roles = (from ur in db.UserRoles
                                           join r in db.Roles on ur.RoleId equals r.Id
                                           where ur.UserId == u.Id
                                           select r.Name!).ToList(),
                              }).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
        return redeemed is null ? null : new RedeemedTicket(redeemed.Customer, redeemed.Factors, redeemed.InUse, redeemed.Roles, redeemed.Stopped);
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
