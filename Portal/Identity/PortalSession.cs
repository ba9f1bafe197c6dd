namespace Portal.Identity;

/// <summary>
/// One browser session. The cookie only names it; the row decides whether it is still alive, so the server
/// can end it (idle, lifetime, sign-out, or later cancel of OTP use) whatever the browser holds.
/// </summary>
public sealed class PortalSession
{
    public Guid Id { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset LastActivityAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }

    /// <summary>Why it ended: signout, idle, lifetime, ...</summary>
    public string? EndReason { get; set; }

    public string? RemoteAddress { get; set; }
    public string? UserAgent { get; set; }
}
