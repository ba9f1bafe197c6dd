namespace Portal.Identity;

/// <summary>
/// 利用停止 of a customer's internet banking: set by the 緊急利用停止 link (or staff), lifted only by staff. One row per
/// customer; a lift keeps the row (who stopped it, when, and who lifted it) until a later stop writes over it, and the
/// audit trail keeps every one. Not a lockout: an admin's unlock does not touch it (docs/decisions/0015).
/// </summary>
public sealed class ServiceStop
{
    public required string UserId { get; set; }
    public DateTimeOffset StoppedAt { get; set; }

    /// <summary><see cref="Portal.Domain.Stops.EmergencyStopRules.ByLink"/>, the customer, or an admin's login ID.</summary>
    public required string StoppedBy { get; set; }

    public DateTimeOffset? LiftedAt { get; set; }

    /// <summary>The admin's login ID.</summary>
    public string? LiftedBy { get; set; }
}

/// <summary>
/// One 緊急利用停止 link, as a sign-in ticket: only the hash of its random token is stored; it is used once and for
/// <see cref="Portal.Domain.Stops.EmergencyStopRules.LinkLifetime"/>.
/// </summary>
public sealed class StopLink
{
    public long Id { get; set; }
    public required string TokenHash { get; set; }
    public required string UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }
}
