using System.Text.Json;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Otp;

namespace Portal;

/// <summary>Which step of the ログイン画面 an attempt was.</summary>
public enum SignInStep { Password, Code }

/// <summary>
/// Every security event, declared once with its event ID (<see cref="LogEvents"/>) and written under this class's
/// category, which operators can route and alert on (a database outage is written under the category of the service
/// that met it). An event that is also counted is logged and counted in the same call.
/// A line names the customer by their opaque user ID and the source address at most: never a login ID, password,
/// code, secret, activation password, mail address or a staff member's free-text note.
/// </summary>
public sealed partial class SecurityLog
{
    private readonly ILogger _logger;
    private readonly PortalMetrics _metrics;

    public SecurityLog(ILogger<SecurityLog> logger, PortalMetrics metrics)
    {
        _logger = logger;
        _metrics = metrics;
    }

    /// <summary>The outcome of one step of the ログイン画面, counted by step and outcome.</summary>
    public void SignIn(SignInStep step, PasswordCheckOutcome outcome, string? userId, string? sourceAddress)
    {
        _metrics.SignIns.Add(1, new("step", Tag(step)), new("outcome", Tag(outcome)));
        switch (outcome)
        {
            case PasswordCheckOutcome.Succeeded: SignInSucceeded(step, userId, sourceAddress); break;
            case PasswordCheckOutcome.OtpRequired: SignInCodeRequired(userId, sourceAddress); break;
            case PasswordCheckOutcome.LockedOut: SignInLockedOut(step, userId, sourceAddress); break;
            case PasswordCheckOutcome.Throttled: SignInThrottled(step, sourceAddress); break;
            case PasswordCheckOutcome.Busy: SignInBusy(sourceAddress); break;
            // Logged as DatabaseUnavailable where the outage was caught, with the exception.
            case PasswordCheckOutcome.Unavailable: break;
            default: SignInFailed(step, Tag(outcome), userId, sourceAddress); break;
        }
    }

    /// <summary>A lock set by consecutive failures; <paramref name="userId"/> null for an unknown login ID.</summary>
    public void AccountLocked(string? userId)
    {
        _metrics.AccountLocks.Add(1, new KeyValuePair<string, object?>("login", userId is null ? "unknown" : "known"));
        if (userId is null) UnknownLoginLocked();
        else AccountLockedLog(userId);
    }

    /// <summary>A code the proof refused and counted toward the lock: wrong, or already used (a replay).</summary>
    public void OtpRefused(string userId, OtpPurpose purpose, bool replay, string? sourceAddress)
    {
        var purposeTag = new KeyValuePair<string, object?>("purpose", Tag(purpose));
        _metrics.OtpFailures.Add(1, purposeTag, new("reason", replay ? "replay" : "wrong"));
        if (!replay)
        {
            OtpRefusedLog(purpose, userId, sourceAddress);
            return;
        }
        _metrics.OtpReplays.Add(1, purposeTag);
        OtpReplayRefused(purpose, userId, sourceAddress);
    }

    /// <summary>A set-up of the token app that got as far as the 利用開始パスワード.</summary>
    public void TokenActivation(string userId, ActivationOutcome outcome, int failures, string? sourceAddress)
    {
        if (outcome == ActivationOutcome.Activated) TokenActivated(userId, sourceAddress);
        else TokenActivationFailed(userId, failures, outcome == ActivationOutcome.Voided, sourceAddress);
    }

    /// <summary>A Pay-easy payment accepted: money left the account.</summary>
    public void PaymentAccepted(string userId, long totalYen, string? sourceAddress)
    {
        _metrics.Payments.Add(1, new KeyValuePair<string, object?>("outcome", "accepted"));
        PaymentAcceptedLog(userId, totalYen, sourceAddress);
    }

    /// <summary>A payment whose 取引認証 passed but which was refused (bill no longer payable, funds, daily limit).</summary>
    public void PaymentRefused(string userId, Banking.PayEasy.ExecutionOutcome outcome, string? sourceAddress)
    {
        _metrics.Payments.Add(1, new KeyValuePair<string, object?>("outcome", Tag(outcome)));
        PaymentRefusedLog(userId, Tag(outcome), sourceAddress);
    }

    [LoggerMessage(LogEvents.PaymentAccepted, LogLevel.Information, "Pay-easy payment of {TotalYen} yen by {UserId} from {SourceAddress} accepted.")]
    private partial void PaymentAcceptedLog(string userId, long totalYen, string? sourceAddress);

    [LoggerMessage(LogEvents.PaymentRefused, LogLevel.Information, "Pay-easy payment by {UserId} from {SourceAddress} refused: {Outcome}.")]
    private partial void PaymentRefusedLog(string userId, string outcome, string? sourceAddress);

    /// <summary>Ten wrong お客様番号/確認番号 in a row stopped Pay-easy for the customer until the end of the Japan day.</summary>
    [LoggerMessage(LogEvents.PayEasyStopped, LogLevel.Warning, "Pay-easy stopped for {UserId} after wrong bill numbers from {SourceAddress}.")]
    public partial void PayEasyStopped(string userId, string? sourceAddress);

    [LoggerMessage(LogEvents.AdminLiftPayEasyStop, LogLevel.Information,
        "Admin {AdminUserId} lifted the Pay-easy stop of user {UserId} ({Reason}) from {SourceAddress}.")]
    public partial void PayEasyStopLifted(string adminUserId, string userId, AdminReasonCode reason, string? sourceAddress);

    /// <summary>利用停止: the customer's internet banking stopped (by the notice's link, staff or the customer).</summary>
    [LoggerMessage(LogEvents.ServiceStopped, LogLevel.Warning, "Internet banking of user {UserId} stopped ({StoppedBy}) from {SourceAddress}.")]
    public partial void ServiceStopped(string userId, string stoppedBy, string? sourceAddress);

    [LoggerMessage(LogEvents.AdminLiftServiceStop, LogLevel.Information,
        "Admin {AdminUserId} lifted the stop of user {UserId} ({Reason}) from {SourceAddress}.")]
    public partial void ServiceStopLifted(string adminUserId, string userId, AdminReasonCode reason, string? sourceAddress);

    [LoggerMessage(LogEvents.DatabaseUnavailable, LogLevel.Error,
        "The database did not answer; the customer was asked to try again.")]
    public static partial void DatabaseUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(LogEvents.SignInThrottled, LogLevel.Warning,
        "Sign-in attempt at the {Step} step from {SourceAddress} refused: too many attempts from one address.")]
    private partial void SignInThrottled(SignInStep step, string? sourceAddress);

    [LoggerMessage(LogEvents.SignInBusy, LogLevel.Warning,
        "Sign-in attempt from {SourceAddress} refused: every password check slot and its queue were taken.")]
    private partial void SignInBusy(string? sourceAddress);

    [LoggerMessage(LogEvents.SignInSucceeded, LogLevel.Information,
        "Sign-in succeeded at the {Step} step for user {UserId} from {SourceAddress}.")]
    private partial void SignInSucceeded(SignInStep step, string? userId, string? sourceAddress);

    [LoggerMessage(LogEvents.SignInFailed, LogLevel.Warning,
        "Sign-in failed at the {Step} step ({Outcome}) for user {UserId} from {SourceAddress}.")]
    private partial void SignInFailed(SignInStep step, string outcome, string? userId, string? sourceAddress);

    [LoggerMessage(LogEvents.SignInLockedOut, LogLevel.Warning,
        "Sign-in refused at the {Step} step: user {UserId} is locked. From {SourceAddress}.")]
    private partial void SignInLockedOut(SignInStep step, string? userId, string? sourceAddress);

    [LoggerMessage(LogEvents.SignInCodeRequired, LogLevel.Information,
        "Password accepted for user {UserId} from {SourceAddress}; the one-time code is still owed.")]
    private partial void SignInCodeRequired(string? userId, string? sourceAddress);

    [LoggerMessage(LogEvents.AccountLocked, LogLevel.Warning, "User {UserId} locked after consecutive failures.",
        EventName = nameof(LogEvents.AccountLocked))]
    private partial void AccountLockedLog(string userId);

    [LoggerMessage(LogEvents.UnknownLoginLocked, LogLevel.Warning,
        "An unknown login ID was locked after consecutive failures.")]
    private partial void UnknownLoginLocked();

    [LoggerMessage(LogEvents.OtpRefused, LogLevel.Warning,
        "Wrong one-time code for {Purpose} refused for user {UserId} from {SourceAddress}.",
        EventName = nameof(LogEvents.OtpRefused))]
    private partial void OtpRefusedLog(OtpPurpose purpose, string userId, string? sourceAddress);

    [LoggerMessage(LogEvents.OtpReplayRefused, LogLevel.Warning,
        "Already used one-time code for {Purpose} refused (replay) for user {UserId} from {SourceAddress}.")]
    private partial void OtpReplayRefused(OtpPurpose purpose, string userId, string? sourceAddress);

    [LoggerMessage(LogEvents.TokenIssued, LogLevel.Information,
        "Token issued for user {UserId} (re-issue: {Reissue}) from {SourceAddress}.")]
    public partial void TokenIssued(string userId, bool reissue, string? sourceAddress);

    [LoggerMessage(LogEvents.DownloadMailLimited, LogLevel.Warning,
        "Download mail refused for user {UserId} from {SourceAddress}: the hour's download mails were already sent.")]
    public partial void DownloadMailLimited(string userId, string? sourceAddress);

    [LoggerMessage(LogEvents.TokenActivated, LogLevel.Information, "Token app set up for user {UserId} from {SourceAddress}.")]
    private partial void TokenActivated(string userId, string? sourceAddress);

    [LoggerMessage(LogEvents.TokenActivationFailed, LogLevel.Warning,
        "Token app set-up refused for user {UserId} from {SourceAddress}: wrong credentials, {Failures} so far; issue voided: {Voided}.")]
    private partial void TokenActivationFailed(string userId, int failures, bool voided, string? sourceAddress);

    [LoggerMessage(LogEvents.OtpUseStarted, LogLevel.Information, "User {UserId} started use of the one-time password from {SourceAddress}.")]
    public partial void OtpUseStarted(string userId, string? sourceAddress);

    [LoggerMessage(LogEvents.OtpUseCancelled, LogLevel.Information, "User {UserId} cancelled use of the one-time password from {SourceAddress}.")]
    public partial void OtpUseCancelled(string userId, string? sourceAddress);

    [LoggerMessage(LogEvents.AdminUnlock, LogLevel.Information,
        "Admin {AdminUserId} unlocked user {UserId} ({Reason}) from {SourceAddress}.")]
    public partial void AdminUnlock(string adminUserId, string userId, AdminReasonCode reason, string? sourceAddress);

    [LoggerMessage(LogEvents.AdminForceCancel, LogLevel.Information,
        "Admin {AdminUserId} force-cancelled the one-time password of user {UserId} ({Reason}) from {SourceAddress}.")]
    public partial void AdminForceCancel(string adminUserId, string userId, AdminReasonCode reason, string? sourceAddress);

    [LoggerMessage(LogEvents.AdminResendMail, LogLevel.Information,
        "Admin {AdminUserId} re-sent the download mail of user {UserId} ({Reason}) from {SourceAddress}; mail sent: {MailSent}.")]
    public partial void AdminResendMail(string adminUserId, string userId, AdminReasonCode reason, bool mailSent, string? sourceAddress);

    /// <summary>Prometheus-style label values: "locked_out", "start_of_use".</summary>
    private static string Tag<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
