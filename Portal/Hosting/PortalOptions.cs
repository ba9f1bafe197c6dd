using Portal.Domain.Sessions;

namespace Portal.Hosting;

/// <summary>Section "SignIn": the lock after consecutive failures, and whom a locked-out customer calls.</summary>
public sealed class SignInSettings
{
    public int MaxFailedAttempts { get; set; } = 5;
    public int LockoutMinutes { get; set; } = 30;
    /// <summary>Shown on the ログイン画面 and in the lock message and mails: the bank's help desk and its number.</summary>
    public string HelpDesk { get; set; } = Resources.Labels.HelpDeskDefault;

    /// <summary>Password and code attempts one source address may make per minute, whatever IDs it tries.</summary>
    public int AttemptsPerMinutePerAddress { get; set; } = 20;

    /// <summary>Password hashes computed at once; 0 means half the cores (at least one).</summary>
    public int ConcurrentPasswordChecks { get; set; }

    /// <summary>Password checks that may wait for a slot; further attempts are told the service is busy.</summary>
    public int PasswordCheckQueue { get; set; } = 50;
}

/// <summary>Section "Session": idle timeout, the warning before it, and the absolute lifetime.</summary>
public sealed class SessionSettings
{
    public double IdleTimeoutMinutes { get; set; } = 15;
    public double WarningSeconds { get; set; } = 60;
    public double AbsoluteLifetimeHours { get; set; } = 12;

    public SessionPolicy ToPolicy() => new(
        TimeSpan.FromMinutes(IdleTimeoutMinutes),
        TimeSpan.FromSeconds(WarningSeconds),
        TimeSpan.FromHours(AbsoluteLifetimeHours));
}
