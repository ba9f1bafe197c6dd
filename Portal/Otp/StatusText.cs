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
