namespace Portal.Otp;

/// <summary>Section "Otp": the authentication center's numbers.</summary>
public sealed class OtpSettings
{
    /// <summary>サービスID the token app is set up with.</summary>
    public string ServiceId { get; set; } = "KITASHIN";

    /// <summary>An issue not started within this many days returns to 未登録.</summary>
    public double IssueLifetimeDays { get; set; } = 7;

    /// <summary>
    /// Base address of every link in mail, e.g. https://ib.kitashin.example/ (<see cref="Mail.MailLinks"/>). Required
    /// outside Development; there an empty value means <see cref="Mail.MailLinks.DevelopmentBaseUrl"/>.
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Download mails (トークン発行 and re-send, by the customer) per customer in any hour; staff re-sends are not counted.</summary>
    public int DownloadMailsPerHour { get; set; } = 3;

    /// <summary>Activation API calls per source address per minute.</summary>
    public int ActivationRequestsPerMinute { get; set; } = 10;
}
