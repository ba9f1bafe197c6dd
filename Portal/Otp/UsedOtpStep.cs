namespace Portal.Otp;

/// <summary>A (token, time step) that was accepted once and is refused forever after.</summary>
public sealed class UsedOtpStep
{
    public Guid TokenIssueId { get; set; }
    public long Step { get; set; }

    /// <summary>The accepted step minus the server's: a run of the same non-zero offset means the phone's clock is off.</summary>
    public int StepOffset { get; set; }

    public DateTimeOffset UsedAt { get; set; }
}
