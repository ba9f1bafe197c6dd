using Microsoft.Extensions.Options;
using Portal.Otp;

namespace Portal.Mail;

/// <summary>
/// Every URL the bank mails is made here, from <c>Otp:PublicBaseUrl</c> alone: never from the request's Host or the
/// circuit's base URI, which whoever sits between the customer and the portal (a phishing proxy) chooses.
/// </summary>
public sealed class MailLinks(IOptions<OtpSettings> settings)
{
    /// <summary>The base when Development leaves <c>Otp:PublicBaseUrl</c> empty: the portal's own development address.</summary>
    public const string DevelopmentBaseUrl = "http://localhost:5080/";

    /// <summary>
    /// The absolute URL of <paramref name="relativePath"/> (no leading '/', e.g. <c>token/?code=…</c>) under the
    /// configured public base; a base with a path (https://bank.example/ib/) keeps it.
    /// </summary>
    public Uri Under(string relativePath) => new(BaseOf(settings.Value.PublicBaseUrl!), relativePath.TrimStart('/'));

    /// <summary>The configured base as an absolute http(s) URL ending in '/', or null when it is not one.</summary>
    public static Uri? TryBase(string? configured) =>
        Uri.TryCreate(configured?.Trim(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
            ? BaseOf(uri.AbsoluteUri)
            : null;

    private static Uri BaseOf(string configured) => new(configured.Trim().EndsWith('/') ? configured.Trim() : configured.Trim() + "/");
}
