namespace Portal;

/// <summary>Event IDs of the security- and operations-relevant log lines, so operators can alert on them.</summary>
public static class LogEvents
{
    public static readonly EventId DatabaseUnavailable = new(1001, nameof(DatabaseUnavailable));
    public static readonly EventId SignInThrottled = new(1002, nameof(SignInThrottled));
    public static readonly EventId PostingRefused = new(1100, nameof(PostingRefused));
}
