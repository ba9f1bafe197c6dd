using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Mail;

namespace Portal.Otp;

public sealed record ActivationRequest(string? ServiceId, string? UserId, string? ActivationPassword, string? Code);

/// <summary>What the token app keeps on the phone. The only time the secret leaves the server.</summary>
public sealed record ActivatedToken(string ServiceId, string UserId, string Secret, int Digits, int Period, string Algorithm);

/// <summary>The authentication center's side of the token app: the download link and the one-time set-up.</summary>
public sealed class TokenActivation(
    IDbContextFactory<PortalDbContext> dbs,
    TimeProvider clock,
    IPasswordHasher<TokenIssue> activationPasswords,
    OtpSecrets secrets,
    SecurityNotices notices,
    SecurityLog security)
{
    /// <summary>Whether a download link's code belongs to an issue that can still be set up.</summary>
    public async Task<bool> IsDownloadCodeValidAsync(string? code, CancellationToken cancellationToken = default)
    {
        if (!Secrets.LooksUrlSafe(code)) return false;
        var hash = Secrets.Hash(code!);
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var issue = await db.TokenIssues.AsNoTracking().SingleOrDefaultAsync(i => i.DownloadCodeHash == hash, cancellationToken);
        return issue is not null && issue.IsDownloadableAt(clock.GetUtcNow())
            && await db.OtpRegistrations.AnyAsync(r => r.CurrentIssueId == issue.Id, cancellationToken);
    }

    /// <summary>
    /// Sets up the token app: once per issue, with the download code of the issue's latest mail (a re-sent mail voids
    /// the old code), the サービスID, the ユーザID and the 利用開始パスワード. Five wrong tries, a missing or wrong code
    /// among them, void the issue and return the customer to 未登録. Null for every failure alike, so a caller cannot
    /// tell a wrong ID from a wrong password or code.
    /// </summary>
    public async Task<ActivatedToken?> ActivateAsync(ActivationRequest request, string? sourceAddress, string? userAgent,
        CancellationToken cancellationToken = default)
    {
        if (request.UserId is not { Length: 10 } userId || !userId.All(char.IsAsciiDigit)
            || request.ServiceId is not { Length: > 0 and <= 20 } serviceId
            || EnrollmentInput.CheckActivationPassword(request.ActivationPassword) != ActivationPasswordError.None)
            return null;

        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var issue = await db.TokenIssues.SingleOrDefaultAsync(i => i.TokenUserId == userId, cancellationToken);
        if (issue is null) return null;
        var registration = await db.OtpRegistrations.SingleOrDefaultAsync(r => r.UserId == issue.UserId, cancellationToken);
        if (registration is null || registration.CurrentIssueId != issue.Id || registration.Status != RegistrationStatus.Applied)
            return null;

        var now = clock.GetUtcNow();
        // The password alone is not enough: whoever has it must also hold the mail (SPEC section 7).
        var credentialsMatch = DownloadCodeMatches(issue, request.Code)
            && string.Equals(serviceId, issue.ServiceId, StringComparison.OrdinalIgnoreCase)
            && activationPasswords.VerifyHashedPassword(issue, issue.ActivationPasswordHash, request.ActivationPassword!)
                != PasswordVerificationResult.Failed;
        var secret = TotpRules.NewSecret();
        var outcome = issue.Activate(credentialsMatch, now, userAgent, sourceAddress, secrets.Protect(secret));
        if (outcome == ActivationOutcome.NotActivatable) return null;
        if (outcome == ActivationOutcome.Voided) registration.Expire(now);

        db.AuditEntries.Add(AuditEntry.Record(now, issue.UserId, AuditActors.TokenApp, AuditEvents.Activation,
            outcome == ActivationOutcome.Activated ? AuditEvents.Succeeded : AuditEvents.Failed, sourceAddress,
            outcome switch
            {
                ActivationOutcome.Activated => userAgent is { Length: > 200 } ? userAgent[..200] : userAgent,
                ActivationOutcome.Voided => AuditDetails.ActivationVoided(TokenIssue.MaxActivationFailures),
                _ => AuditDetails.ActivationFailure(issue.FailedActivations),
            }));
        // A simultaneous activation or re-issue won: refused like every other failure.
        if (await db.SaveAsync(cancellationToken) != SaveOutcome.Saved) return null;
        security.TokenActivation(issue.UserId, outcome, issue.FailedActivations, sourceAddress);
        if (outcome == ActivationOutcome.Activated) await notices.TokenSetUpAsync(issue.UserId, now, cancellationToken);

        return outcome == ActivationOutcome.Activated
            ? new ActivatedToken(issue.ServiceId, issue.TokenUserId, TotpRules.ToBase32(secret), TotpRules.Digits, TotpRules.StepSeconds, "SHA1")
            : null;
    }

    private static bool DownloadCodeMatches(TokenIssue issue, string? code) =>
        Secrets.LooksUrlSafe(code) && CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Secrets.Hash(code!)), Encoding.ASCII.GetBytes(issue.DownloadCodeHash));
}
