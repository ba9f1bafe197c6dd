using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Otp;

namespace Portal.Otp;

public enum CodeVerdict { Accepted, Wrong, Replayed }

/// <param name="StepOffset">For an accepted code: its step minus the server's (-1, 0 or +1), for the clock-drift hint.</param>
public sealed record CodeCheck(CodeVerdict Verdict, int StepOffset = 0);

/// <summary>
/// The one place a code is checked against a token: the RFC 6238 window, then the single-use claim of its step.
/// Start of use, cancel of use and sign-in all come through here.
/// </summary>
public static class OtpVerifier
{
    public static async Task<CodeCheck> CheckAsync(PortalDbContext db, TokenIssue issue, byte[] secret, string normalizedCode,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (TotpRules.Verify(secret, normalizedCode, now) is not { } step) return new(CodeVerdict.Wrong);
        var offset = (int)(step - TotpRules.StepAt(now));
        return await ClaimStepAsync(db, issue.Id, step, offset, now, cancellationToken)
            ? new(CodeVerdict.Accepted, offset)
            : new(CodeVerdict.Replayed);
    }

    /// <summary>
    /// Records that the (token, step) was used; false when it already was. A single INSERT that the primary key
    /// refuses the second time, so two simultaneous requests with the same code cannot both pass, on any instance.
    /// </summary>
    public static async Task<bool> ClaimStepAsync(PortalDbContext db, Guid tokenIssueId, long step, int offset,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var used = new UsedOtpStep { TokenIssueId = tokenIssueId, Step = step, StepOffset = offset, UsedAt = now };
        db.UsedOtpSteps.Add(used);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            return false;
        }
        finally
        {
            // Only the database decides: the context must not remember the row and answer from memory next time.
            db.Entry(used).State = EntityState.Detached;
        }
    }
}
