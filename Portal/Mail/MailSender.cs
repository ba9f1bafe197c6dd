using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Portal.Mail;

/// <summary>
/// Sends through SMTP with MailKit, or writes to the pickup folder on the embedded default. Retries a few times;
/// a message that still fails is reported, never thrown, so the caller's saved state stays as it is.
/// </summary>
public sealed class MailSender(IOptions<MailSettings> options, TimeProvider clock, ILogger<MailSender> logger)
{
    private readonly MailSettings _settings = options.Value;

    public string PickupDirectory => _settings.PickupDirectory;

    public async Task<bool> TrySendAsync(MimeMessage message, CancellationToken cancellationToken = default)
    {
        if (message.From.Count == 0) message.From.Add(MailboxAddress.Parse(_settings.From));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await SendOnceAsync(message, cancellationToken);
                return true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Never the body: it may hold a download link.
                logger.LogWarning(ex, "Mail \"{Subject}\" failed, attempt {Attempt} of {Attempts}", message.Subject, attempt, _settings.Attempts);
                if (attempt >= _settings.Attempts) return false;
                await Task.Delay(TimeSpan.FromMilliseconds(_settings.RetryDelayMilliseconds * attempt), clock, cancellationToken);
            }
        }
    }

    private async Task SendOnceAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        if (!_settings.UsesSmtp)
        {
            Directory.CreateDirectory(_settings.PickupDirectory);
            var name = $"{clock.GetUtcNow():yyyyMMddHHmmssfff}-{Guid.NewGuid():N}.eml";
            await message.WriteToAsync(Path.Combine(_settings.PickupDirectory, name), cancellationToken);
            return;
        }

        using var client = new SmtpClient();
        client.Timeout = 15_000;
        await client.ConnectAsync(_settings.Smtp.Host!, _settings.Smtp.Port, SecureSocketOptions.Auto, cancellationToken);
        if (!string.IsNullOrEmpty(_settings.Smtp.UserName))
            await client.AuthenticateAsync(_settings.Smtp.UserName, _settings.Smtp.Password ?? "", cancellationToken);
        await client.SendAsync(message, cancellationToken);
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
