namespace Portal.Otp;

/// <summary>Which code of the token a step was accepted for: the sign-in code (RFC 6238) or a 取引認証 code (RFC 6287).</summary>
public enum OtpCodeKind { Login, Transaction }

/// <summary>A (token, kind of code, time step) that was accepted once and is refused forever after.</summary>
public sealed class UsedOtpStep
{
    public Guid TokenIssueId { get; set; }
    public OtpCodeKind Kind { get; set; }

    /// <summary>
    /// What a 取引認証 code was bound to (its OCRA question); empty for a sign-in code. Two payments in one step are two
    /// codes; the same payment's code twice is a replay.
    /// </summary>
    public string Challenge { get; set; } = "";
    public long Step { get; set; }

    /// <summary>The accepted step minus the server's: a run of the same non-zero offset means the phone's clock is off.</summary>
    public int StepOffset { get; set; }

    public DateTimeOffset UsedAt { get; set; }
}
