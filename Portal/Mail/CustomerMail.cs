using Microsoft.EntityFrameworkCore;
using MimeKit;
using Portal.Data;

namespace Portal.Mail;

/// <summary>
/// The authentication center's mail to a customer at the registered address: the latest token's mobile address, else
/// the account's e-mail. Nothing is sent to a customer with neither.
/// </summary>
public sealed class CustomerMail(IDbContextFactory<PortalDbContext> dbs, MailSender sender)
{
    public async Task<bool> TrySendAsync(string userId, Func<string, MimeMessage> message, CancellationToken cancellationToken = default)
    {
        string? address;
        await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
        {
            address = await db.TokenIssues.Where(i => i.UserId == userId).OrderByDescending(i => i.IssuedAt)
                    .Select(i => i.MobileEmail).FirstOrDefaultAsync(cancellationToken)
                ?? await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        }
        return address is not null && await sender.TrySendAsync(message(address), cancellationToken);
    }
}
