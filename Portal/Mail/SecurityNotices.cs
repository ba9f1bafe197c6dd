using Microsoft.EntityFrameworkCore;
using MimeKit;
using Portal.Banking.PayEasy;
using Portal.Data;
using Portal.Domain;
using Portal.Domain.Otp;
using Portal.Identity;

namespace Portal.Mail;

/// <summary>
/// Every mail to a customer, one function per notice, each naming its recipients (DESIGN.md "Against a stolen
/// password"). Security notices go to the registered address (<c>PortalUser.Email</c>, the bank's record), never to
/// an address someone typed, and each carries its own 緊急利用停止 link. Only the download mail goes to the mobile
/// address typed at the issue, and it is always followed by a notice to the registered address.
/// A notice that cannot be sent is logged, never thrown: the caller's saved state stays as it is.
/// </summary>
public sealed class SecurityNotices(
    IDbContextFactory<PortalDbContext> dbs,
    MailSender sender,
    OtpMails otpMails,
    PaymentMails paymentMails,
    StopLinks stopLinks,
    MailLinks links,
    ILogger<SecurityNotices> logger)
{
    /// <summary>The download mail: to the mobile address of the issue only (the phone that sets the token app up).</summary>
    public Task<bool> DownloadMailAsync(TokenIssue issue, Uri downloadUrl, CancellationToken cancellationToken = default) =>
        sender.TrySendAsync(otpMails.TokenIssued(issue, downloadUrl), cancellationToken);

    /// <summary>トークン発行: to the registered address, with the mobile address masked.</summary>
    public Task<bool> TokenIssuedAsync(TokenIssue issue, CancellationToken cancellationToken = default) =>
        ToRegisteredAsync(issue.UserId, a => otpMails.TokenIssuedNotice(a, MailAddresses.Mask(issue.MobileEmail), issue.IssuedAt), cancellationToken);

    /// <summary>The download mail was sent again (by the customer or staff): to the registered address.</summary>
    public Task<bool> DownloadMailResentAsync(TokenIssue issue, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ToRegisteredAsync(issue.UserId, a => otpMails.DownloadMailResent(a, MailAddresses.Mask(issue.MobileEmail), at), cancellationToken);

    public Task<bool> TokenSetUpAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ToRegisteredAsync(userId, a => otpMails.TokenSetUp(a, at), cancellationToken);

    public Task<bool> UseStartedAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ToRegisteredAsync(userId, a => otpMails.UseStarted(a, at), cancellationToken);

    public Task<bool> UseCancelledAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ToRegisteredAsync(userId, a => otpMails.UseCancelled(a, at), cancellationToken);

    public Task<bool> ForcedCancelAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ToRegisteredAsync(userId, a => otpMails.ForcedCancel(a, at), cancellationToken);

    public Task<bool> LockedAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ToRegisteredAsync(userId, a => otpMails.Locked(a, at), cancellationToken);

    public Task<bool> UnlockedAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ToRegisteredAsync(userId, a => otpMails.Unlocked(a, at), cancellationToken);

    public Task<bool> ReplayRefusedAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ToRegisteredAsync(userId, a => otpMails.ReplayRefused(a, at), cancellationToken);

    public Task<bool> PaymentAcceptedAsync(string userId, PaymentReceipt receipt, CancellationToken cancellationToken = default) =>
        ToRegisteredAsync(userId, a => paymentMails.PaymentAccepted(a, receipt), cancellationToken);

    /// <summary>利用停止のお知らせ.</summary>
    public Task<bool> StoppedAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ToRegisteredAsync(userId, a => otpMails.Stopped(a, at), cancellationToken);

    /// <summary>Staff lifted the stop.</summary>
    public Task<bool> StopLiftedAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        ToRegisteredAsync(userId, a => otpMails.StopLifted(a, at), cancellationToken);

    /// <summary>To the registered address, with a new 緊急利用停止 link at the end; nothing for a customer without one.</summary>
    private async Task<bool> ToRegisteredAsync(string userId, Func<string, MimeMessage> build, CancellationToken cancellationToken)
    {
        try
        {
            string? address;
            await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
                address = await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
            if (string.IsNullOrWhiteSpace(address))
            {
                logger.LogWarning("User {UserId} has no registered address; a security notice was not sent.", userId);
                return false;
            }
            if (!links.IsConfigured)
            {
                // Start-up refuses this configuration outside Development; a notice without its stop link is not sent.
                logger.LogError("Otp:PublicBaseUrl is not set; a security notice to user {UserId} was not sent.", userId);
                return false;
            }
            var token = await stopLinks.IssueAsync(userId, cancellationToken);
            var message = build(address);
            OtpMails.AddStopLink(message, links.Under("stop?token=" + token));
            return await sender.TrySendAsync(message, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException && Saving.IsOutage(e))
        {
            // The event happened and is saved; a notice lost to an outage is logged, not turned into "try again".
            logger.LogWarning(e, "A security notice to user {UserId} could not be prepared: the database did not answer.", userId);
            return false;
        }
    }
}
