using Microsoft.Extensions.Options;
using Portal.Otp;

namespace Portal.Mail;

/// <summary>
/// Every URL in a mail, made from the configured base (<c>Otp:PublicBaseUrl</c>) and never from the request's Host
/// or the circuit's base URI, which a phishing proxy supplies (SPEC section 7). In Development an empty key means
/// launchSettings' address.
/// </summary>
public sealed class MailLinks(IOptions<OtpSettings> settings, IHostEnvironment environment)
{
    public static readonly Uri DevelopmentBase = new("http://localhost:5080/");

    /// <summary>The configured base; null outside Development when <c>Otp:PublicBaseUrl</c> is empty (never the request's).</summary>
    public Uri? Base => settings.Value.PublicBaseUrl is { Length: > 0 } configured
        ? new Uri(configured.EndsWith('/') ? configured : configured + "/")
        : environment.IsDevelopment() ? DevelopmentBase : null;

    public bool IsConfigured => Base is not null;

    /// <summary>A path under the portal's public base, e.g. <c>Under("stop?token=…")</c>.</summary>
    public Uri Under(string relative) => new(Base
        ?? throw new InvalidOperationException("Otp:PublicBaseUrl is required outside Development: it is the base of every link in a mail."),
        relative);
}
