using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Mail;

namespace Portal.Otp;

/// <summary>
/// StepTaken: a 取引認証 code already proven for another payment with the same 収納機関番号 and amount in this step; the
/// customer waits for the next code. Not a replay of this payment's code, so nothing is counted or mailed.
/// </summary>
public enum CodeVerdict { Accepted, Wrong, Replayed, LockedOut, StepTaken }

/// <param name="StepOffset">For an accepted code: its step minus the server's (-1, 0 or +1), for the clock-drift hint.</param>
/// <param name="LockedUntil">When the account is locked (now, or by this very failure): the end of the lock.</param>
public sealed record CodeCheck(CodeVerdict Verdict, int StepOffset = 0, DateTimeOffset? LockedUntil = null);

/// <summary>What a code is given for; a refusal is audited under this event.</summary>
public enum OtpPurpose { SignIn, StartOfUse, CancelUse, Payment }

/// <summary>What a 取引認証 code is bound to: the 収納機関番号 and the 払込金額 the customer typed into the token app.</summary>
public sealed record TransactionChallenge(string InstitutionNumber, long AmountYen);

/// <summary>
/// The one proof of a ワンタイムパスワード, for every place a customer gives one (sign-in, 利用開始, 利用解除, and the
/// 取引認証 of a payment): lock check → RFC 6238 window (RFC 6287 for 取引認証) → single-use claim of the step → count
/// toward the lock → audit of a refusal → mail of a refused replay. An accepted code passes only through the statement
/// that finds the ID unlocked and clears the failure count (<see cref="AccountLock.AcceptAsync"/>); a wrong one is counted
/// before its refusal is audited or answered. The caller audits what it then does.
/// A database outage is not an answer: it propagates, so it is never reported, counted or mailed as a used code.
/// </summary>
public sealed class OtpProof(
    IDbContextFactory<PortalDbContext> dbs,
    IServiceScopeFactory scopes,
    OtpSecrets secrets,
    AccountLock accountLock,
    SecurityNotices notices,
    SecurityLog security,
    TimeProvider clock)
{
    /// <summary>The token of a 利用中 customer, or null.</summary>
    public async Task<TokenIssue?> FindTokenInUseAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.TokensInUse.Where(t => t.UserId == userId).Select(t => t.Issue).AsNoTracking().SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>Proves a normalised sign-in code (RFC 6238) against <paramref name="token"/>, the customer's set-up token.</summary>
    public Task<CodeCheck> ProveAsync(TokenIssue token, string normalizedCode, OtpPurpose purpose, string? sourceAddress,
        CancellationToken cancellationToken = default)
    {
        if (purpose == OtpPurpose.Payment) throw new ArgumentException("A payment is proven by its 取引認証 code.", nameof(purpose));
        return ProveAsync(token, OtpCodeKind.Login, "", null, (secret, now) => TotpRules.Verify(secret, normalizedCode, now), TotpRules.StepAt,
            purpose, sourceAddress, cancellationToken);
    }

    /// <summary>
    /// Proves a normalised 取引認証 code (RFC 6287 OCRA) made for <paramref name="challenge"/>, for the payment
    /// <paramref name="paymentId"/>. Its steps are claimed apart from sign-in codes, and the OCRA message holds the suite and
    /// the question, so neither code ever passes as the other. The claim names the payment: presented again for the same
    /// payment (an outage left it unpaid) the code is accepted again; for another payment it is StepTaken.
    /// </summary>
    public Task<CodeCheck> ProveTransactionAsync(TokenIssue token, string normalizedCode, TransactionChallenge challenge, Guid paymentId,
        string? sourceAddress, CancellationToken cancellationToken = default) =>
        ProveAsync(token, OtpCodeKind.Transaction, TransactionAuthentication.Question(challenge.InstitutionNumber, challenge.AmountYen), paymentId,
            (secret, now) => TransactionAuthentication.Verify(secret, challenge.InstitutionNumber, challenge.AmountYen, normalizedCode, now),
            TransactionAuthentication.StepAt, OtpPurpose.Payment, sourceAddress, cancellationToken);

    private async Task<CodeCheck> ProveAsync(TokenIssue token, OtpCodeKind kind, string challenge, Guid? paymentId,
        Func<byte[], DateTimeOffset, long?> verify, Func<DateTimeOffset, long> stepAt, OtpPurpose purpose, string? sourceAddress,
        CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        var user = await users.FindByIdAsync(token.UserId) ?? throw new InvalidOperationException("The token's customer is gone.");
        if (await users.IsLockedOutAsync(user))
            return new(CodeVerdict.LockedOut, LockedUntil: await users.GetLockoutEndDateAsync(user));

        var now = clock.GetUtcNow();
        var verdict = CodeVerdict.Wrong;
        var offset = 0;
        await using (var db = await dbs.CreateDbContextAsync(cancellationToken))
        {
            if (token.ProtectedSecret is { } secret && verify(secrets.Unprotect(secret), now) is { } step)
            {
                offset = (int)(step - stepAt(now));
                // One INSERT that the primary key refuses the second time: two requests with one code cannot both pass,
                // on any instance.
                db.UsedOtpSteps.Add(new UsedOtpStep
                {
                    TokenIssueId = token.Id, Kind = kind, Challenge = challenge, Step = step, PaymentId = paymentId, StepOffset = offset, UsedAt = now,
                });
                verdict = await db.SaveAsync(cancellationToken) == SaveOutcome.Saved ? CodeVerdict.Accepted : CodeVerdict.Replayed;
                if (verdict == CodeVerdict.Replayed && paymentId is not null)
                    verdict = await ClaimedForAsync(token.Id, kind, challenge, step, cancellationToken) == paymentId
                        ? CodeVerdict.Accepted
                        : CodeVerdict.StepTaken;
            }
        }
        if (verdict == CodeVerdict.StepTaken) return new(CodeVerdict.StepTaken);

        // Accepted only by the statement that finds the ID unlocked: a burst of wrong codes may have locked it since the
        // check above, and then this right code does not pass either.
        if (verdict == CodeVerdict.Accepted)
            return await accountLock.AcceptAsync(token.UserId, clearsFailures: true, cancellationToken) is { } lockedUntil
                ? new(CodeVerdict.LockedOut, LockedUntil: lockedUntil)
                : new(CodeVerdict.Accepted, offset);

        // Counted before anything is answered. A code that finds the ID locked meanwhile counts nothing and is answered
        // as one given while locked: neither audited as wrong nor mailed.
        var failure = await accountLock.CountFailureAsync(token.UserId, cancellationToken);
        if (!failure.Counted) return new(CodeVerdict.LockedOut, LockedUntil: failure.LockedUntil);
        await AuditRefusalAsync(token.UserId, verdict, purpose, sourceAddress, now, cancellationToken);
        security.OtpRefused(token.UserId, purpose, replay: verdict == CodeVerdict.Replayed, sourceAddress);
        if (verdict == CodeVerdict.Replayed)
            await notices.ReplayRefusedAsync(token.UserId, now, cancellationToken);
        return failure.Locked ? new(CodeVerdict.LockedOut, LockedUntil: failure.LockedUntil) : new(verdict);
    }

    private async Task<Guid?> ClaimedForAsync(Guid tokenId, OtpCodeKind kind, string challenge, long step, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        return await db.UsedOtpSteps.Where(u => u.TokenIssueId == tokenId && u.Kind == kind && u.Challenge == challenge && u.Step == step)
            .Select(u => u.PaymentId).SingleOrDefaultAsync(cancellationToken);
    }

    private async Task AuditRefusalAsync(string userId, CodeVerdict verdict, OtpPurpose purpose, string? sourceAddress,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        var purposeEvent = AuditEventOf(purpose);
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        db.AuditEntries.Add(verdict == CodeVerdict.Replayed
            ? AuditEntry.Record(now, userId, AuditActors.Customer, AuditEvents.ReplayRefused, AuditEvents.Failed, sourceAddress, purposeEvent)
            : AuditEntry.Record(now, userId, AuditActors.Customer, purposeEvent, AuditEvents.Failed, sourceAddress, AuditDetails.WrongCode));
        await db.SaveChangesAsync(cancellationToken);
    }

    public static string AuditEventOf(OtpPurpose purpose) => purpose switch
    {
        OtpPurpose.StartOfUse => AuditEvents.StartOfUse,
        OtpPurpose.CancelUse => AuditEvents.Cancelled,
        OtpPurpose.Payment => AuditEvents.Payment,
        _ => AuditEvents.SignInOtp,
    };
}
