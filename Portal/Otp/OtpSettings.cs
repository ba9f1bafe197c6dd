namespace Portal.Otp;

/// <summary>Section "Otp": the authentication center's numbers.</summary>
public sealed class OtpSettings
{
    /// <summary>サービスID the token app is set up with.</summary>
    public string ServiceId { get; set; } = "KITASHIN";

    /// <summary>An issue not started within this many days returns to 未登録.</summary>
    public double IssueLifetimeDays { get; set; } = 7;

    /// <summary>Base address for links in mail, e.g. https://ib.kitashin.example/; empty: the address the customer uses.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>Activation API calls per source address per minute.</summary>
    public int ActivationRequestsPerMinute { get; set; } = 10;
}
