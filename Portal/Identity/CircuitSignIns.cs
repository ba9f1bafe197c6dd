using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Sessions;

namespace Portal.Identity;

/// <summary>
/// The sign-ins of this instance's open circuits, re-checked once a minute in one statement for all of them: each
/// session row must still be live (not ended, idle or too old) and the customer's security stamp unchanged, so a session
/// ended elsewhere (sign-out, cancel of OTP use, a forced cancel, 利用停止) leaves its circuits within a minute. A check per
/// circuit cost each idle circuit two statements and a timer a minute (issue 14: CPU per idle circuit).
/// </summary>
public sealed class CircuitSignIns(IDbContextFactory<PortalDbContext> dbs, PortalSessions sessions, TimeProvider clock,
    ILogger<CircuitSignIns> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>How long after its end an expired session is left to the circuit's own timer (SessionTimeout).</summary>
    public static readonly TimeSpan ExpiredGrace = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<ISignedInCircuit, SignedIn> _open = new();

    /// <summary>Who a circuit is signed in as: its session, its customer, and the stamp its cookie carried.</summary>
    public sealed record SignedIn(Guid SessionId, string UserId, string? SecurityStamp);

    public int Count => _open.Count;

    public void Watch(ISignedInCircuit circuit, SignedIn signedIn) => _open[circuit] = signedIn;

    public void Forget(ISignedInCircuit circuit) => _open.TryRemove(circuit, out _);

    public Guid? SessionOf(ISignedInCircuit circuit) => _open.TryGetValue(circuit, out var signedIn) ? signedIn.SessionId : null;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // An outage signs no one out; the next minute tries again, and every request checks its own session.
                logger.LogWarning(e, "The open circuits' sessions could not be checked.");
            }
        }
    }

    /// <summary>Signs out every open circuit whose session is no longer live or whose customer's stamp changed.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken = default)
    {
        var open = _open.ToArray();
        if (open.Length == 0) return;
        var ids = open.Select(o => o.Value.SessionId).Distinct().ToList();
        Dictionary<Guid, Row> rows;
        await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
            rows = await (from session in db.PortalSessions
                          where ids.Contains(session.Id)
                          join user in db.Users on session.UserId equals user.Id
                          select new Row(session.Id, session.UserId, session.StartedAt, session.LastActivityAt, session.EndedAt, user.SecurityStamp,
                              db.StopsInForce.Any(s => s.UserId == session.UserId)))
                .ToDictionaryAsync(r => r.SessionId, cancellationToken);

        var now = clock.GetUtcNow();
        foreach (var (circuit, signedIn) in open)
        {
            if (!rows.TryGetValue(signedIn.SessionId, out var row) || row.UserId != signedIn.UserId || row.EndedAt is not null
                || row.SecurityStamp != signedIn.SecurityStamp || row.Stopped)
            {
                SignOut(circuit);
                continue;
            }
            // As a request's check would: the row records why it ended. The circuit's own SessionTimeout ends it first,
            // within a second, and sends the customer to the login screen with the reason; signed out from here the
            // circuit would only see "not signed in", so this check leaves it a grace period and takes only stragglers.
            var state = sessions.Policy.Evaluate(row.StartedAt, row.LastActivityAt, now);
            if (state is SessionState.IdleExpired or SessionState.LifetimeExpired
                && now - sessions.Policy.EndsAt(row.StartedAt, row.LastActivityAt) >= ExpiredGrace)
            {
                await sessions.EndAsync(row.SessionId, state == SessionState.IdleExpired ? "idle" : "lifetime", cancellationToken);
                SignOut(circuit);
            }
        }
    }

    private void SignOut(ISignedInCircuit circuit)
    {
        Forget(circuit);
        circuit.SignOut();
    }

    private sealed record Row(Guid SessionId, string UserId, DateTimeOffset StartedAt, DateTimeOffset LastActivityAt,
        DateTimeOffset? EndedAt, string? SecurityStamp, bool Stopped);
}

/// <summary>A circuit's sign-in, which <see cref="CircuitSignIns"/> may end.</summary>
public interface ISignedInCircuit
{
    void SignOut();
}
