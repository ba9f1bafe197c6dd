using Microsoft.Extensions.Options;
using MimeKit;
using Portal.Banking;
using Portal.Banking.PayEasy;
using Portal.Domain;
using Portal.Hosting;
using Portal.Resources;

namespace Portal.Mail;

/// <summary>Mails about payments, to the registered address, in Japanese, as plain text.</summary>
public sealed class PaymentMails(IOptions<SignInSettings> signIn)
{
    /// <summary>払込受付のお知らせ: 受付番号, when, to whom, how much. The お客様番号 only masked (never in full).</summary>
    public MimeMessage PaymentAccepted(string address, PaymentReceipt receipt) =>
        OtpMails.Build(address, Labels.MailPaymentAcceptedSubject,
            string.Format(Labels.MailPaymentAcceptedBody, JapanTime.FormatDateTime(receipt.AcceptedAt), receipt.ReceiptNumber,
                receipt.InstitutionName, receipt.ChargeName, receipt.IsPublicBody ? Labels.PaymentNumber : Labels.CustomerNumber,
                receipt.MaskedCustomerNumber, MoneyText.Yen(receipt.Amount),
                MoneyText.Yen(receipt.Fee), MoneyText.Yen(receipt.Total), signIn.Value.HelpDesk));
}
