namespace Portal.Mail;

/// <summary>Section "Mail". Without <c>Smtp:Host</c>, messages are written as .eml files to the pickup folder.</summary>
public sealed class MailSettings
{
    public SmtpSettings Smtp { get; set; } = new();

    /// <summary>Sender, e.g. 「きたしん認証センター &lt;auth-center@kitashin.example&gt;」.</summary>
    public string From { get; set; } = "きたしん認証センター <auth-center@kitashin.example>";

    /// <summary>Folder for .eml files when no SMTP host is set; relative to the data folder.</summary>
    public string PickupDirectory { get; set; } = "mail";

    public int Attempts { get; set; } = 3;
    public int RetryDelayMilliseconds { get; set; } = 1000;

    public bool UsesSmtp => !string.IsNullOrWhiteSpace(Smtp.Host);
}

public sealed class SmtpSettings
{
    public string? Host { get; set; }
    public int Port { get; set; } = 25;
    public string? UserName { get; set; }
    public string? Password { get; set; }
}
