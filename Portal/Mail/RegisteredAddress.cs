using Microsoft.EntityFrameworkCore;
using Portal.Data;

namespace Portal.Mail;

/// <summary>Where the authentication center writes to a customer: the token's mobile address, else the account's e-mail.</summary>
public static class RegisteredAddress
{
    public static async Task<string?> FindAsync(PortalDbContext db, string userId, CancellationToken cancellationToken) =>
        await db.TokenIssues.Where(i => i.UserId == userId).OrderByDescending(i => i.IssuedAt)
            .Select(i => i.MobileEmail).FirstOrDefaultAsync(cancellationToken)
        ?? await db.Users.Where(u => u.Id == userId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
}
