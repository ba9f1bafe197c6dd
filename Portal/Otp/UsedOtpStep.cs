namespace Portal.Otp;

/// <summary>A (token, time step) that was accepted once and is refused forever after.</summary>
public sealed class UsedOtpStep
{
    public Guid TokenIssueId { get; set; }
    public long Step { get; set; }
}
