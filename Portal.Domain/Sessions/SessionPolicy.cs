namespace Portal.Domain.Sessions;

public enum SessionState
{
    Active,
    /// <summary>Idle long enough that the customer is warned the session is about to end.</summary>
    ExpiringSoon,
    IdleExpired,
    LifetimeExpired,
}

/// <summary>Idle timeout with a warning before it, and an absolute lifetime, for a browser session.</summary>
public sealed record SessionPolicy(TimeSpan IdleTimeout, TimeSpan WarningBefore, TimeSpan AbsoluteLifetime)
{
    public static SessionPolicy Default { get; } =
        new(TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(1), TimeSpan.FromHours(12));

    public SessionState Evaluate(DateTimeOffset startedAt, DateTimeOffset lastActivityAt, DateTimeOffset now)
    {
        if (now - startedAt >= AbsoluteLifetime) return SessionState.LifetimeExpired;
        var idle = now - lastActivityAt;
        if (idle >= IdleTimeout) return SessionState.IdleExpired;
        if (idle >= IdleTimeout - WarningBefore) return SessionState.ExpiringSoon;
        return SessionState.Active;
    }

    /// <summary>When the session ends unless there is activity first: the earlier of idle and absolute expiry.</summary>
    public DateTimeOffset EndsAt(DateTimeOffset startedAt, DateTimeOffset lastActivityAt)
    {
        var idleEnd = lastActivityAt + IdleTimeout;
        var lifetimeEnd = startedAt + AbsoluteLifetime;
        return idleEnd < lifetimeEnd ? idleEnd : lifetimeEnd;
    }
}
