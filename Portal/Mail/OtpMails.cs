using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Domain;
using Portal.Domain.Otp;
using Portal.Hosting;
using Portal.Resources;

namespace Portal.Mail;

/// <summary>The authentication center's mails about the one-time password, in Japanese, as plain text.</summary>
public sealed class OtpMails(IOptions<SignInSettings> signIn)
{
    /// <summary>To the mobile address: download URL, サービスID, ユーザID, expiry. Never the 利用開始パスワード.</summary>
    public MimeMessage TokenIssued(TokenIssue issue, Uri downloadUrl) =>
        Build(issue.MobileEmail, Labels.MailTokenIssuedSubject,
            string.Format(Labels.MailTokenIssuedBody, downloadUrl, issue.ServiceId, issue.TokenUserId,
                JapanTime.FormatDateTime(issue.ExpiresAt), signIn.Value.HelpDesk));

    /// <summary>To the registered address: start of use, when, and what to do if it was not the customer.</summary>
    public MimeMessage UseStarted(string address, DateTimeOffset at) =>
        Build(address, Labels.MailUseStartedSubject,
            string.Format(Labels.MailUseStartedBody, JapanTime.FormatDateTime(at), signIn.Value.HelpDesk));

    /// <summary>To the registered address: cancel of use, when, and what to do if it was not the customer.</summary>
    public MimeMessage UseCancelled(string address, DateTimeOffset at) =>
        Build(address, Labels.MailUseCancelledSubject,
            string.Format(Labels.MailUseCancelledBody, JapanTime.FormatDateTime(at), signIn.Value.HelpDesk));

    /// <summary>A code that had already been used was tried again: someone may have seen it.</summary>
    public MimeMessage ReplayRefused(string address, DateTimeOffset at) =>
        Build(address, Labels.MailReplaySubject,
            string.Format(Labels.MailReplayBody, JapanTime.FormatDateTime(at), signIn.Value.HelpDesk));

    /// <summary>The login ID was locked after consecutive failures.</summary>
    public MimeMessage Locked(string address, DateTimeOffset at) =>
        Build(address, Labels.MailLockedSubject,
            string.Format(Labels.MailLockedBody, JapanTime.FormatDateTime(at), signIn.Value.HelpDesk));

    /// <summary>Bank staff lifted the lock of the login ID.</summary>
    public MimeMessage Unlocked(string address, DateTimeOffset at) =>
        Build(address, Labels.MailUnlockedSubject,
            string.Format(Labels.MailUnlockedBody, JapanTime.FormatDateTime(at), signIn.Value.HelpDesk));

    /// <summary>Bank staff cancelled the customer's one-time password (lost or changed phone).</summary>
    public MimeMessage ForcedCancel(string address, DateTimeOffset at) =>
        Build(address, Labels.MailForcedCancelSubject,
            string.Format(Labels.MailForcedCancelBody, JapanTime.FormatDateTime(at), signIn.Value.HelpDesk));

    /// <summary>To the registered address: a token was issued, and its download mail went to this (masked) mobile address.</summary>
    public MimeMessage TokenIssuedNotice(string address, string maskedMobile, DateTimeOffset at) =>
        Build(address, Labels.MailTokenIssuedNoticeSubject,
            string.Format(Labels.MailTokenIssuedNoticeBody, JapanTime.FormatDateTime(at), maskedMobile, signIn.Value.HelpDesk));

    /// <summary>To the registered address: the download mail was sent again.</summary>
    public MimeMessage DownloadMailResent(string address, string maskedMobile, DateTimeOffset at) =>
        Build(address, Labels.MailResentNoticeSubject,
            string.Format(Labels.MailResentNoticeBody, JapanTime.FormatDateTime(at), maskedMobile, signIn.Value.HelpDesk));

    /// <summary>To the registered address: the token app was set up.</summary>
    public MimeMessage TokenSetUp(string address, DateTimeOffset at) =>
        Build(address, Labels.MailTokenSetUpSubject, string.Format(Labels.MailTokenSetUpBody, JapanTime.FormatDateTime(at), signIn.Value.HelpDesk));

    /// <summary>利用停止のお知らせ.</summary>
    public MimeMessage Stopped(string address, DateTimeOffset at) =>
        Build(address, Labels.MailStoppedSubject, string.Format(Labels.MailStoppedBody, JapanTime.FormatDateTime(at), signIn.Value.HelpDesk));

    /// <summary>Bank staff lifted the stop.</summary>
    public MimeMessage StopLifted(string address, DateTimeOffset at) =>
        Build(address, Labels.MailStopLiftedSubject, string.Format(Labels.MailStopLiftedBody, JapanTime.FormatDateTime(at), signIn.Value.HelpDesk));

    /// <summary>The 緊急利用停止 link, placed above the signature.</summary>
    internal static void AddStopLink(MimeMessage message, Uri link)
    {
        var body = (TextPart)message.Body!;
        var text = body.Text ?? "";
        var paragraph = Labels.MailStopLinkText + "\n" + link + "\n\n";
        var signature = text.LastIndexOf(Labels.MailSignatureLine, StringComparison.Ordinal);
        body.Text = signature >= 0 ? text.Insert(signature, paragraph) : text.TrimEnd() + "\n\n" + paragraph;
    }

    internal static MimeMessage Build(string to, string subject, string body)
    {
        var message = new MimeMessage { Subject = subject, Body = new TextPart("plain") { Text = body } };
        message.To.Add(MailboxAddress.Parse(to));
        return message;
    }
}
