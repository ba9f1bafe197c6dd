using Portal.Domain.Otp;
using Portal.Resources;

namespace Portal.Otp;

/// <summary>The Japanese label of each 登録状況, from the one resource file.</summary>
public static class StatusText
{
    public static string Label(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Applied => Labels.StatusApplied,
        RegistrationStatus.InUse => Labels.StatusInUse,
        _ => Labels.StatusUnregistered,
    };

    /// <summary>A line of the security history, in the customer's words.</summary>
    public static string Event(string eventName) => eventName switch
    {
        "token-issued" => Labels.EventTokenIssued,
        "activation" => Labels.EventActivation,
        "start-of-use" => Labels.EventStartOfUse,
        "sign-in-otp" => Labels.EventSignInOtp,
        "replay-refused" => Labels.EventReplayRefused,
        "cancel-use" => Labels.EventCancelUse,
        "issue-expired" => Labels.EventIssueExpired,
        "mail-sent" => Labels.EventMailSent,
        "account-locked" => Labels.EventLocked,
        "admin-unlock" => Labels.EventAdminUnlock,
        "admin-force-cancel" => Labels.EventAdminForceCancel,
        "admin-resend-download-mail" => Labels.EventAdminResendMail,
        _ => eventName,
    };

    /// <summary>
    /// An audit row's detail for staff: the machine words the services write, in Japanese; free text (a reason, a user
    /// agent) as it is.
    /// </summary>
    public static string? Detail(string? detail)
    {
        switch (detail)
        {
            case null: return null;
            case "download mail": return Labels.DetailDownloadMail;
            case "reissue" or "reissued": return Labels.DetailReissue;
            case "wrong code": return Labels.DetailWrongCode;
            case "code already used": return Labels.DetailCodeUsed;
            case "wrong password": return Labels.DetailWrongPassword;
            case "expired": return Labels.DetailExpired;
        }
        var words = detail.Split(' ');
        if (words is ["step", "offset", var steps] && int.TryParse(steps, out var offset))
            return string.Format(Labels.DetailClockDrift, (offset * Portal.Domain.Otp.TotpRules.StepSeconds).ToString("+0;-0;0"));
        if (words is ["failure", var count] && int.TryParse(count, out _)) return string.Format(Labels.DetailActivationFailure, count);
        return detail;
    }

    /// <summary>Who acted: the customer, the token app, the system, or else an admin's login ID as it is.</summary>
    public static string Actor(string actor) => actor switch
    {
        Portal.Domain.Auditing.AuditActors.Customer => Labels.ActorCustomer,
        Portal.Domain.Auditing.AuditActors.TokenApp => Labels.ActorTokenApp,
        Portal.Domain.Auditing.AuditActors.System => Labels.ActorSystem,
        _ => actor,
    };

    public static string Outcome(string outcome) => outcome == "ok" ? Labels.OutcomeOk : Labels.OutcomeFailed;

    public static string Reason(Portal.Domain.Otp.AdminReasonCode code) => code switch
    {
        Portal.Domain.Otp.AdminReasonCode.LostPhone => Labels.ReasonLostPhone,
        Portal.Domain.Otp.AdminReasonCode.ChangedPhone => Labels.ReasonChangedPhone,
        Portal.Domain.Otp.AdminReasonCode.CustomerRequest => Labels.ReasonCustomerRequest,
        Portal.Domain.Otp.AdminReasonCode.SuspectedFraud => Labels.ReasonSuspectedFraud,
        _ => Labels.ReasonOther,
    };

    public static string Help(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Applied => Labels.OtpStatusHelpApplied,
        RegistrationStatus.InUse => Labels.OtpStatusHelpInUse,
        _ => Labels.OtpStatusHelpUnregistered,
    };
}
