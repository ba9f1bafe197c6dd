using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Domain.Sessions;
using Portal.Hosting;

namespace Portal.Identity;

/// <summary>
/// The server's record of browser sessions: idle timeout and absolute lifetime are decided here, from the
/// database, so neither a kept cookie nor a tampered browser outlives them.
/// </summary>
public sealed class PortalSessions(IDbContextFactory<PortalDbContext> dbs, TimeProvider clock, IOptions<SessionSettings> options)
{
    /// <summary>How often activity is written back; finer would only add writes.</summary>
    public static readonly TimeSpan TouchInterval = TimeSpan.FromSeconds(30);

    public SessionPolicy Policy { get; } = options.Value.ToPolicy();

    /// <summary>
    /// A new session; its start is also the customer's latest sign-in (the next one's 前回ログイン日時), written as one
    /// UPDATE of that column: UserManager.UpdateAsync would first re-validate the user (a SELECT) and rewrite the row.
    /// </summary>
    public async Task<PortalSession> StartAsync(string userId, string? remoteAddress, string? userAgent, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var session = new PortalSession
        {
            Id = Guid.NewGuid(),
            UserId = userId,
            StartedAt = now,
            LastActivityAt = now,
            RemoteAddress = Truncate(remoteAddress, 64),
            UserAgent = Truncate(userAgent, 512),
        };
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        db.PortalSessions.Add(session);
        await db.SaveChangesAsync(cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(u => u.SetProperty(x => x.LastSignInAt, now), cancellationToken);
        return session;
    }

    /// <summary>The live session of that user, or null when it is unknown, ended or expired (and then it is ended now).</summary>
    public async Task<PortalSession?> FindLiveAsync(Guid sessionId, string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var session = await db.PortalSessions.AsNoTracking()
            .SingleOrDefaultAsync(s => s.Id == sessionId && s.UserId == userId, cancellationToken);
        if (session is null || session.EndedAt is not null) return null;

        var state = Policy.Evaluate(session.StartedAt, session.LastActivityAt, clock.GetUtcNow());
        if (state is SessionState.IdleExpired or SessionState.LifetimeExpired)
        {
            await EndAsync(sessionId, state == SessionState.IdleExpired ? "idle" : "lifetime", cancellationToken);
            return null;
        }
        return session;
    }

    /// <summary>Records activity on a row just read, when its recorded activity is older than <see cref="TouchInterval"/>.</summary>
    public Task TouchAsync(PortalSession session, CancellationToken cancellationToken = default) =>
        clock.GetUtcNow() - session.LastActivityAt < TouchInterval ? Task.CompletedTask : TouchAsync(session.Id, cancellationToken);

    /// <summary>Records activity, at most every <see cref="TouchInterval"/>, and never for an ended session.</summary>
    public async Task TouchAsync(Guid sessionId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        var due = now - TouchInterval;
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await db.PortalSessions
            .Where(s => s.Id == sessionId && s.EndedAt == null && s.LastActivityAt < due)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.LastActivityAt, now), cancellationToken);
    }

    public async Task EndAsync(Guid sessionId, string reason, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await db.PortalSessions
            .Where(s => s.Id == sessionId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), cancellationToken);
    }

    /// <summary>Ends every live session of the customer but the one given; each notices within a minute.</summary>
    public async Task EndOthersAsync(string userId, Guid? keep, string reason, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        await db.PortalSessions
            .Where(s => s.UserId == userId && s.EndedAt == null && s.Id != keep)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), cancellationToken);
    }

    /// <summary>Ends every live session of the customer, in the caller's transaction (利用停止).</summary>
    public static Task<int> EndAllAsync(PortalDbContext db, string userId, string reason, DateTimeOffset now,
        CancellationToken cancellationToken) =>
        db.PortalSessions.Where(s => s.UserId == userId && s.EndedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.EndedAt, now).SetProperty(x => x.EndReason, reason), cancellationToken);

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
