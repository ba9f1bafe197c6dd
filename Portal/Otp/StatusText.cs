using System.Globalization;
using Portal.Domain;
using Portal.Domain.Auditing;
using Portal.Domain.Banking;
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
        AuditEvents.TokenIssued => Labels.EventTokenIssued,
        AuditEvents.Activation => Labels.EventActivation,
        AuditEvents.StartOfUse => Labels.EventStartOfUse,
        AuditEvents.SignInPassword => Labels.EventSignInPassword,
        AuditEvents.SignInOtp => Labels.EventSignInOtp,
        AuditEvents.ReplayRefused => Labels.EventReplayRefused,
        AuditEvents.Cancelled => Labels.EventCancelUse,
        AuditEvents.Expired => Labels.EventIssueExpired,
        AuditEvents.MailSent => Labels.EventMailSent,
        AuditEvents.Locked => Labels.EventLocked,
        AuditEvents.AdminUnlock => Labels.EventAdminUnlock,
        AuditEvents.AdminForceCancel => Labels.EventAdminForceCancel,
        AuditEvents.AdminResendMail => Labels.EventAdminResendMail,
        AuditEvents.ResendMail => Labels.EventResendMail,
        AuditEvents.Payment => Labels.EventPayment,
        AuditEvents.PayEasyLookupFailed => Labels.EventPayEasyLookupFailed,
        AuditEvents.PayEasyStopped => Labels.EventPayEasyStopped,
        AuditEvents.AdminLiftPayEasyStop => Labels.EventAdminLiftPayEasyStop,
        AuditEvents.ServiceStopped => Labels.EventServiceStopped,
        AuditEvents.AdminLiftServiceStop => Labels.EventAdminLiftServiceStop,
        _ => eventName,
    };

    /// <summary>
    /// An audit row's detail for staff: the machine words the services write (<see cref="AuditDetails"/>, and an
    /// issue's <see cref="VoidReasons"/>) in Japanese; free text (a reason, a user agent) as it is.
    /// </summary>
    public static string? Detail(string? detail)
    {
        switch (detail)
        {
            case null: return null;
            case AuditDetails.DownloadMail: return Labels.DetailDownloadMail;
            case AuditDetails.Reissue or VoidReasons.Reissued: return Labels.DetailReissue;
            case AuditDetails.WrongCode: return Labels.DetailWrongCode;
            case AuditDetails.CodeUsed: return Labels.DetailCodeUsed;
            case AuditDetails.WrongPassword: return Labels.DetailWrongPassword;
            case VoidReasons.Expired: return Labels.DetailExpired;
            case VoidReasons.Cancelled: return Labels.DetailCancelled;
            case VoidReasons.ForcedCancel: return Labels.DetailForcedCancel;
            case VoidReasons.ActivationFailures: return Labels.DetailActivationVoided;
            // A refused replay names what the code was given for.
            case AuditEvents.SignInOtp or AuditEvents.StartOfUse or AuditEvents.Cancelled or AuditEvents.Payment: return Event(detail);
        }
        if (detail.StartsWith(AuditDetails.PaymentReceiptPrefix, StringComparison.Ordinal))
            return string.Format(Labels.DetailPaymentReceipt, detail[AuditDetails.PaymentReceiptPrefix.Length..]);
        if (detail.StartsWith(AuditDetails.PaymentRefusedPrefix, StringComparison.Ordinal)
            && Enum.TryParse<PaymentRefusal>(detail[AuditDetails.PaymentRefusedPrefix.Length..], out var refusal))
            return refusal switch
            {
                PaymentRefusal.InsufficientFunds => Labels.DetailPaymentInsufficientFunds,
                PaymentRefusal.DailyLimit => Labels.DetailPaymentDailyLimit,
                _ => Labels.DetailPaymentBillNotPayable,
            };
        if (detail == AuditDetails.PayEasyStoppedAfter(PayEasyRules.FailuresToStop)) return Labels.DetailPayEasyStopped;
        // The formatted ones, compared with what the formatters write for every value they can be given.
        for (var offset = -TotpRules.WindowSteps; offset <= TotpRules.WindowSteps; offset++)
            if (detail == AuditDetails.StepOffset(offset))
                return string.Format(Labels.DetailClockDrift, (offset * TotpRules.StepSeconds).ToString("+0;-0;0", CultureInfo.InvariantCulture));
        for (var count = 1; count < TokenIssue.MaxActivationFailures; count++)
            if (detail == AuditDetails.ActivationFailure(count)) return string.Format(Labels.DetailActivationFailure, count);
        return detail == AuditDetails.ActivationVoided(TokenIssue.MaxActivationFailures) ? Labels.DetailActivationVoided : detail;
    }

    /// <summary>Who acted: the customer, the token app, the system, or else an admin's login ID as it is.</summary>
    public static string Actor(string actor) => actor switch
    {
        AuditActors.Customer => Labels.ActorCustomer,
        AuditActors.TokenApp => Labels.ActorTokenApp,
        AuditActors.System => Labels.ActorSystem,
        AuditActors.StopLink => Labels.ActorStopLink,
        _ => actor,
    };

    /// <summary>The lock message: until when, and whom to call.</summary>
    public static string Locked(DateTimeOffset? until, string helpDesk) =>
        string.Format(Labels.LockedOut, until is { } end ? JapanTime.FormatDateTime(end) : "", helpDesk);

    /// <summary>Why a code or password given on an OTP screen changed nothing, or null when the field's message says it.</summary>
    public static string? Refusal(CodeCheckResult result, string helpDesk) => result.Refusal switch
    {
        OtpRefusal.NotAllowedNow => Labels.NotAllowedNow,
        OtpRefusal.TokenNotActivated => Labels.TokenNotActivated,
        OtpRefusal.ConcurrentChange => Labels.ConcurrentChange,
        OtpRefusal.LockedOut => Locked(result.LockedUntil, helpDesk),
        OtpRefusal.Unavailable => Labels.DatabaseUnavailable,
        _ => null,
    };

    public static string Outcome(string outcome) => outcome == AuditEvents.Succeeded ? Labels.OutcomeOk : Labels.OutcomeFailed;

    public static string Reason(AdminReasonCode code) => code switch
    {
        AdminReasonCode.LostPhone => Labels.ReasonLostPhone,
        AdminReasonCode.ChangedPhone => Labels.ReasonChangedPhone,
        AdminReasonCode.CustomerRequest => Labels.ReasonCustomerRequest,
        AdminReasonCode.SuspectedFraud => Labels.ReasonSuspectedFraud,
        _ => Labels.ReasonOther,
    };

    /// <summary>An admin's reason as the audit trail keeps it: the reason, and the note after a colon when there is one.</summary>
    public static string ReasonWithNote(AdminReasonCode code, string? note) =>
        string.IsNullOrWhiteSpace(note) ? Reason(code) : $"{Reason(code)}: {note.Trim()}";

    public static string Help(RegistrationStatus status) => status switch
    {
        RegistrationStatus.Applied => Labels.OtpStatusHelpApplied,
        RegistrationStatus.InUse => Labels.OtpStatusHelpInUse,
        _ => Labels.OtpStatusHelpUnregistered,
    };
}
