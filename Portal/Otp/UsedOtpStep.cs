namespace Portal.Otp;

/// <summary>Which code of the token a step was accepted for: the sign-in code (RFC 6238) or a 取引認証 code (RFC 6287).</summary>
public enum OtpCodeKind { Login, Transaction }

/// <summary>A (token, kind of code, time step) that was accepted once and is refused forever after.</summary>
public sealed class UsedOtpStep
{
    public Guid TokenIssueId { get; set; }
    public OtpCodeKind Kind { get; set; }

    /// <summary>
    /// What a 取引認証 code was bound to (its OCRA question); empty for a sign-in code. Payments to different 収納機関 or
    /// of different amounts in one step are different codes.
    /// </summary>
    public string Challenge { get; set; } = "";

    /// <summary>
    /// The payment (its confirmation key) a 取引認証 code was proven for: the same payment may present it again after an
    /// outage left it unpaid; another payment with the same question must wait for the next step.
    /// </summary>
    public Guid? PaymentId { get; set; }
    public long Step { get; set; }

    /// <summary>The accepted step minus the server's: a run of the same non-zero offset means the phone's clock is off.</summary>
    public int StepOffset { get; set; }

    public DateTimeOffset UsedAt { get; set; }
}
