namespace Portal;

/// <summary>
/// Event IDs of the security- and operations-relevant log lines, so operators can alert on them: 1xxx sign-in and
/// operations, 2xxx the one-time password, 3xxx bank staff's actions, 4xxx money. Each is written in one place,
/// mostly a method of <see cref="SecurityLog"/> (a refused posting by the Ledger); an ID, once given, is never reused
/// for another meaning.
/// </summary>
public static class LogEvents
{
    public const int DatabaseUnavailable = 1001;
    public const int SignInThrottled = 1002;
    public const int SignInBusy = 1003;
    public const int SignInSucceeded = 1010;
    public const int SignInFailed = 1011;
    public const int SignInLockedOut = 1012;
    public const int SignInCodeRequired = 1013;
    public const int AccountLocked = 1020;
    public const int UnknownLoginLocked = 1021;
    public const int ServiceStopped = 1030;

    public const int OtpRefused = 2001;
    public const int OtpReplayRefused = 2002;
    public const int TokenIssued = 2010;
    public const int TokenActivated = 2011;
    public const int TokenActivationFailed = 2012;
    public const int OtpUseStarted = 2020;
    public const int OtpUseCancelled = 2021;
    public const int DownloadMailLimited = 2040;

    public const int AdminUnlock = 3001;
    public const int AdminForceCancel = 3002;
    public const int AdminResendMail = 3003;

    public const int AdminLiftPayEasyStop = 3004;
    public const int AdminLiftServiceStop = 3005;

    public const int PostingRefused = 4001;
    public const int PaymentAccepted = 4010;
    public const int PaymentRefused = 4011;
    public const int PayEasyStopped = 4020;
}
