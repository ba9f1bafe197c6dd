namespace Portal.Domain.Auditing;

/// <summary>
/// One line of the audit trail: what happened to whose OTP, who did it, from where, with what outcome.
/// Appended only; the application never changes or removes one (PortalDbContext refuses it).
/// </summary>
public sealed class AuditEntry
{
    private AuditEntry() { }

    public static AuditEntry Record(DateTimeOffset at, string userId, string actor, string eventName, string outcome,
        string? sourceAddress, string? detail = null) => new()
    {
        At = at,
        UserId = userId,
        Actor = actor,
        Event = eventName,
        Outcome = outcome,
        SourceAddress = sourceAddress is { Length: > 64 } ? sourceAddress[..64] : sourceAddress,
        Detail = detail is { Length: > 500 } ? detail[..500] : detail,
    };

    public long Id { get; private set; }
    public DateTimeOffset At { get; private set; }

    /// <summary>The customer the event is about.</summary>
    public string UserId { get; private set; } = "";

    /// <summary>Who acted: "customer", "token-app", "system", or an admin's login ID.</summary>
    public string Actor { get; private set; } = "";

    public string Event { get; private set; } = "";
    public string Outcome { get; private set; } = "";
    public string? SourceAddress { get; private set; }
    public string? Detail { get; private set; }
}

/// <summary>Names of the OTP events of SPEC section 4.</summary>
public static class AuditEvents
{
    public const string TokenIssued = "token-issued";
    public const string MailSent = "mail-sent";
    public const string Activation = "activation";
    public const string StartOfUse = "start-of-use";
    public const string Expired = "issue-expired";
    public const string Cancelled = "cancel-use";
    public const string SignInPassword = "sign-in-password";
    public const string SignInOtp = "sign-in-otp";
    public const string ReplayRefused = "replay-refused";
    public const string Locked = "account-locked";
    public const string AdminUnlock = "admin-unlock";
    public const string AdminForceCancel = "admin-force-cancel";
    public const string AdminResendMail = "admin-resend-download-mail";
    /// <summary>The customer's own re-send of the download mail (counted toward the hour's download mails).</summary>
    public const string ResendMail = "resend-download-mail";
    public const string Payment = "payment";
    public const string PayEasyLookupFailed = "payeasy-lookup-failed";
    public const string PayEasyStopped = "payeasy-stopped";
    public const string AdminLiftPayEasyStop = "admin-lift-payeasy-stop";
    public const string ServiceStopped = "service-stopped";
    public const string AdminLiftServiceStop = "admin-lift-service-stop";

    public const string Succeeded = "ok";
    public const string Failed = "failed";
}

/// <summary>The machine words an entry's detail may hold (staff read them translated); other details are free text.</summary>
public static class AuditDetails
{
    public const string DownloadMail = "download mail";
    public const string Reissue = "reissue";
    public const string WrongCode = "wrong code";
    public const string CodeUsed = "code already used";
    public const string WrongPassword = "wrong password";

    public static string StepOffset(int offset) => $"step offset {offset}";
    public const string PaymentReceiptPrefix = "receipt ";
    public const string PaymentRefusedPrefix = "refused: ";
    public static string Payment(string receiptNumber) => PaymentReceiptPrefix + receiptNumber;
    public static string PaymentRefused(string refusal) => PaymentRefusedPrefix + refusal;
    public static string PayEasyStoppedAfter(int failures) => $"{failures} wrong bill numbers";
    public static string ActivationFailure(int count) => $"failure {count}";
    public static string ActivationVoided(int failures) => $"{failures} failures: issue void";
}

public static class AuditActors
{
    public const string Customer = "customer";
    public const string TokenApp = "token-app";
    public const string System = "system";
    /// <summary>Whoever opened the 緊急利用停止 link of a notice and pressed 利用停止.</summary>
    public const string StopLink = "stop-link";
}
