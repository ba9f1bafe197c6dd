using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain;
using Portal.Domain.Stops;

namespace Portal.Identity;

/// <summary>
/// The 緊急利用停止 links of the notices: a random token per mail, only its hash stored, used once, for 7 days
/// (as the sign-in tickets, docs/decisions/0002). The link can only stop: nothing here signs in or lifts anything.
/// </summary>
public sealed class StopLinks(IDbContextFactory<PortalDbContext> dbs, TimeProvider clock)
{
    /// <summary>Links are deleted this long after they ran out (a week after the mail, they are worth nothing).</summary>
    public static readonly TimeSpan KeptFor = TimeSpan.FromDays(30);

    private long _nextSweepTicks;

    /// <returns>The token for the link; only its hash is stored.</returns>
    public async Task<string> IssueAsync(string userId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var token = Secrets.NewUrlSafe();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await SweepWhenDueAsync(db, now, cancellationToken);
        db.StopLinks.Add(new StopLink
        {
            TokenHash = Secrets.Hash(token), UserId = userId, CreatedAt = now, ExpiresAt = now + EmergencyStopRules.LinkLifetime,
        });
        await db.SaveChangesAsync(cancellationToken);
        return token;
    }

    /// <summary>Whether the link may still stop (for the page's GET, which changes nothing).</summary>
    public async Task<bool> IsUsableAsync(string? token, CancellationToken cancellationToken = default)
    {
        if (!Secrets.LooksUrlSafe(token)) return false;
        var hash = Secrets.Hash(token!);
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.StopLinks.AnyAsync(l => l.TokenHash == hash && l.UsedAt == null && l.ExpiresAt > now, cancellationToken);
    }

    /// <summary>Marks the link used and returns whose it is; null when unknown, expired or used. One UPDATE decides.</summary>
    public async Task<string?> ClaimAsync(PortalDbContext db, string? token, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Secrets.LooksUrlSafe(token)) return null;
        var hash = Secrets.Hash(token!);
        var claimed = await db.StopLinks.Where(l => l.TokenHash == hash && l.UsedAt == null && l.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.UsedAt, now), cancellationToken);
        return claimed == 1
            ? await db.StopLinks.Where(l => l.TokenHash == hash).Select(l => l.UserId).SingleAsync(cancellationToken)
            : null;
    }

    private async Task SweepWhenDueAsync(PortalDbContext db, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.UtcTicks < due || Interlocked.CompareExchange(ref _nextSweepTicks, (now + SignInTickets.SweepInterval).UtcTicks, due) != due) return;
        var stale = now - KeptFor;
        await db.StopLinks.Where(l => l.ExpiresAt < stale).ExecuteDeleteAsync(cancellationToken);
    }
}
