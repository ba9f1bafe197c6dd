using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Domain;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Mail;

namespace Portal.Otp;

/// <summary>What the ワンタイムパスワード申請登録画面 shows.</summary>
public sealed record OtpOverview(
    RegistrationStatus Status,
    string? MobileEmail,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? ExpiresAt,
    bool MailSent,
    bool TokenActivated,
    DateTimeOffset? StartedAt,
    int? ClockDriftSeconds = null,
    IReadOnlyList<SecurityEvent>? History = null);

/// <summary>One line of the customer's own security history, from the audit trail.</summary>
public sealed record SecurityEvent(DateTimeOffset At, string Event, string Outcome);

public enum OtpRefusal
{
    None,
    /// <summary>The status does not allow this (e.g. トークン発行 while 利用中).</summary>
    NotAllowedNow,
    /// <summary>The token app has not been set up yet.</summary>
    TokenNotActivated,
    /// <summary>Another request changed the registration meanwhile; nothing was applied.</summary>
    ConcurrentChange,
    /// <summary>The account is locked after consecutive failures; no code is looked at until the lock ends.</summary>
    LockedOut,
    /// <summary>The database did not answer; nothing was applied or counted. Try again.</summary>
    Unavailable,
    /// <summary>The customer already had the hour's download mails (Otp:DownloadMailsPerHour); nothing was sent or changed.</summary>
    MailLimit,
}

public enum DownloadMailResend { Sent, MailFailed, NotAllowed, MailLimit }

/// <summary>A re-send made by bank staff: the issue version they saw, and the audit entry naming them and their reason.</summary>
public sealed record StaffResend(int SeenIssueVersion, AuditEntry Audit);

public sealed record IssueTokenInput(string? MobileEmail, string? ActivationPassword, string? Confirmation);

public sealed record IssueTokenResult(
    MobileEmailError EmailError = MobileEmailError.None,
    ActivationPasswordError PasswordError = ActivationPasswordError.None,
    ConfirmationError ConfirmationError = ConfirmationError.None,
    OtpRefusal Refusal = OtpRefusal.None,
    bool MailSent = false)
{
    public bool Succeeded => Refusal == OtpRefusal.None && EmailError == MobileEmailError.None
        && PasswordError == ActivationPasswordError.None && ConfirmationError == ConfirmationError.None;
}

public enum CodeError { None, Malformed, Wrong }

/// <param name="LockedUntil">With <see cref="OtpRefusal.LockedOut"/>: the end of the lock.</param>
public sealed record CodeCheckResult(CodeError CodeError = CodeError.None, OtpRefusal Refusal = OtpRefusal.None,
    DateTimeOffset? LockedUntil = null)
{
    public bool Succeeded => CodeError == CodeError.None && Refusal == OtpRefusal.None;
}

/// <summary>
/// The customer's side of the one-time password: see the status, issue a token, re-send its mail, start use.
/// Each use case: validate (domain) → load → decide (domain) → save → mail → audit, and changes nothing on refusal.
/// </summary>
public sealed class OtpEnrollment(
    IDbContextFactory<PortalDbContext> dbs,
    TimeProvider clock,
    IOptions<OtpSettings> settings,
    IPasswordHasher<TokenIssue> activationPasswords,
    OtpProof proof,
    MailLinks links,
    SecurityNotices notices,
    PortalSessions sessions,
    AccountLock accountLock,
    IServiceScopeFactory scopes,
    SecurityLog security,
    ILogger<OtpEnrollment> logger)
{
    private static readonly CodeCheckResult Unavailable = new(Refusal: OtpRefusal.Unavailable);

    public const int HistoryLength = 10;

    public async Task<OtpOverview> GetOverviewAsync(string userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var (registration, issue) = await LoadAsync(db, userId, sourceAddress: null, cancellationToken);
        var offsets = issue is null || registration.Status != RegistrationStatus.InUse
            ? []
            : await db.UsedOtpSteps.Where(u => u.TokenIssueId == issue.Id).OrderByDescending(u => u.UsedAt)
                .Take(ClockDrift.Evidence).Select(u => u.StepOffset).ToListAsync(cancellationToken);
        var history = await db.AuditEntries.Where(a => a.UserId == userId && a.Event != AuditEvents.MailSent)
            .OrderByDescending(a => a.Id).Take(HistoryLength)
            .Select(a => new SecurityEvent(a.At, a.Event, a.Outcome)).ToListAsync(cancellationToken);
        return new OtpOverview(registration.Status, issue?.MobileEmail, issue?.IssuedAt, issue?.ExpiresAt,
            issue?.MailSentAt is not null, issue?.ActivatedAt is not null, registration.StartedAt,
            ClockDrift.EstimateSeconds(offsets), history);
    }

    /// <summary>トークン発行 (or re-issue from 申請済, which voids the previous issue), then the mail.</summary>
    public async Task<IssueTokenResult> IssueTokenAsync(string userId, IssueTokenInput input,
        string? sourceAddress, CancellationToken cancellationToken = default)
    {
        var email = input.MobileEmail?.Trim();
        var invalid = new IssueTokenResult(
            EnrollmentInput.CheckMobileEmail(email),
            EnrollmentInput.CheckActivationPassword(input.ActivationPassword),
            EnrollmentInput.CheckConfirmation(input.ActivationPassword, input.Confirmation));
        if (!invalid.Succeeded) return invalid;

        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var (registration, previous) = await LoadAsync(db, userId, sourceAddress, cancellationToken);
        if (!registration.CanIssue) return new(Refusal: OtpRefusal.NotAllowedNow);
        var now = clock.GetUtcNow();
        if (await OverMailLimitAsync(db, userId, now, sourceAddress, cancellationToken)) return new(Refusal: OtpRefusal.MailLimit);

        previous?.Void(VoidReasons.Reissued, now);
        var downloadCode = Secrets.NewUrlSafe();
        var issue = TokenIssue.Create(userId, settings.Value.ServiceId, email!, "", Secrets.Hash(downloadCode), now,
            TimeSpan.FromDays(settings.Value.IssueLifetimeDays));
        issue.SetActivationPasswordHash(activationPasswords.HashPassword(issue, input.ActivationPassword!));
        registration.Issue(issue.Id, now);
        db.TokenIssues.Add(issue);
        db.AuditEntries.Add(AuditEntry.Record(now, userId, AuditActors.Customer, AuditEvents.TokenIssued,
            AuditEvents.Succeeded, sourceAddress, previous is null ? null : AuditDetails.Reissue));
        if (await db.SaveAsync(cancellationToken) != SaveOutcome.Saved) return new(Refusal: OtpRefusal.ConcurrentChange);
        security.TokenIssued(userId, reissue: previous is not null, sourceAddress);

        var mailSent = await SendDownloadMailAsync(db, issue, downloadCode, sourceAddress, cancellationToken);
        await notices.TokenIssuedAsync(issue, cancellationToken);
        return new(MailSent: mailSent);
    }

    /// <summary>Sends the download mail again for the issue in force, with a new download code.</summary>
    public Task<DownloadMailResend> ResendDownloadMailAsync(string userId, string? sourceAddress,
        CancellationToken cancellationToken = default) =>
        ResendDownloadMailAsync(userId, sourceAddress, staff: null, cancellationToken);

    /// <summary>
    /// The re-send, by the customer or (with <paramref name="staff"/>) by bank staff: then only for the issue version
    /// the staff member looked at, and their audit entry is written with the new download code, in one save. The
    /// new code voids the old one, for the link check and the activation alike. The customer's own re-sends count
    /// toward the hour's download mails; staff's do not (they re-send after checking who is calling, and a customer
    /// who reached the limit calls them).
    /// </summary>
    public async Task<DownloadMailResend> ResendDownloadMailAsync(string userId, string? sourceAddress,
        StaffResend? staff, CancellationToken cancellationToken = default)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var (registration, issue) = await LoadAsync(db, userId, sourceAddress, cancellationToken);
        var now = clock.GetUtcNow();
        if (registration.Status != RegistrationStatus.Applied || issue is null || !issue.IsDownloadableAt(now)
            || (staff is not null && issue.Version != staff.SeenIssueVersion))
            return DownloadMailResend.NotAllowed;
        if (staff is null && await OverMailLimitAsync(db, userId, now, sourceAddress, cancellationToken)) return DownloadMailResend.MailLimit;
        var downloadCode = Secrets.NewUrlSafe();
        issue.ReplaceDownloadCode(Secrets.Hash(downloadCode));
        if (staff is not null) db.AuditEntries.Add(staff.Audit);
        else
        {
            registration.CountDownloadMail();
            db.AuditEntries.Add(AuditEntry.Record(now, userId, AuditActors.Customer, AuditEvents.ResendMail, AuditEvents.Succeeded, sourceAddress));
        }
        // The issue's version is a concurrency token: of two admins at once, one save wins and one mail goes out.
        if (await db.SaveAsync(cancellationToken) != SaveOutcome.Saved) return DownloadMailResend.NotAllowed;
        var sent = await SendDownloadMailAsync(db, issue, downloadCode, sourceAddress, cancellationToken);
        await notices.DownloadMailResentAsync(issue, clock.GetUtcNow(), cancellationToken);
        return sent ? DownloadMailResend.Sent : DownloadMailResend.MailFailed;
    }

    /// <summary>
    /// ワンタイムパスワード利用開始: a current, unused code from the set-up token moves 申請済 to 利用中, and every other session
    /// of the customer ends. The session it was started in was signed in with the password alone, so it still moves no
    /// money until the next sign-in with the code (SPEC 7).
    /// </summary>
    public Task<CodeCheckResult> StartUseAsync(string userId, string? code, string? sourceAddress,
        Guid? currentSessionId = null, CancellationToken cancellationToken = default) =>
        StartUseCoreAsync(userId, code, sourceAddress, currentSessionId, cancellationToken).OrUnavailableAsync(Unavailable, logger);

    private async Task<CodeCheckResult> StartUseCoreAsync(string userId, string? code, string? sourceAddress,
        Guid? currentSessionId, CancellationToken cancellationToken)
    {
        var normalized = OtpCode.Normalize(code);
        if (normalized is null) return new(CodeError.Malformed);

        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var (registration, issue) = await LoadAsync(db, userId, sourceAddress, cancellationToken);
        if (!registration.CanStartUse || issue is null) return new(Refusal: OtpRefusal.NotAllowedNow);
        if (issue.ProtectedSecret is null) return new(Refusal: OtpRefusal.TokenNotActivated);
        if (Refusal(await proof.ProveAsync(issue, normalized, OtpPurpose.StartOfUse, sourceAddress, cancellationToken)) is { } refused)
            return refused;

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        registration.StartUse(now);
        db.AuditEntries.Add(AuditEntry.Record(now, userId, AuditActors.Customer, AuditEvents.StartOfUse,
            AuditEvents.Succeeded, sourceAddress));
        if (await db.SaveAsync(cancellationToken) != SaveOutcome.Saved) return new(Refusal: OtpRefusal.ConcurrentChange);
        await SetTwoFactorAsync(db, userId, enabled: true, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        security.OtpUseStarted(userId, sourceAddress);

        // Whoever else is signed in as this customer signed in without this token: with a stolen password, perhaps.
        await sessions.EndOthersAsync(userId, currentSessionId, "otp-started", cancellationToken);

        await notices.UseStartedAsync(userId, now, cancellationToken);
        return new();
    }

    /// <summary>
    /// ワンタイムパスワード利用解除: when 利用中 the customer proves it with a current code, when 申請済 with the login
    /// password. The status returns to 未登録 and the secret is destroyed.
    /// </summary>
    public Task<CodeCheckResult> CancelUseAsync(string userId, string? given, string? sourceAddress,
        Guid? currentSessionId = null, CancellationToken cancellationToken = default) =>
        CancelUseCoreAsync(userId, given, sourceAddress, currentSessionId, cancellationToken).OrUnavailableAsync(Unavailable, logger);

    private async Task<CodeCheckResult> CancelUseCoreAsync(string userId, string? given, string? sourceAddress,
        Guid? currentSessionId, CancellationToken cancellationToken)
    {
        await using var db = await dbs.CreateDbContextAsync(cancellationToken);
        var (registration, issue) = await LoadAsync(db, userId, sourceAddress, cancellationToken);
        if (!registration.CanCancelUse || issue is null) return new(Refusal: OtpRefusal.NotAllowedNow);

        var now = clock.GetUtcNow();
        if (registration.Status == RegistrationStatus.InUse)
        {
            if (OtpCode.Normalize(given) is not { } normalized) return new(CodeError.Malformed);
            if (Refusal(await proof.ProveAsync(issue, normalized, OtpPurpose.CancelUse, sourceAddress, cancellationToken)) is { } refused)
                return refused;
        }
        else
        {
            if (string.IsNullOrEmpty(given)) return new(CodeError.Malformed);
            var check = await CheckLoginPasswordAsync(userId, given, cancellationToken);
            if (check.WasWrong)
            {
                db.AuditEntries.Add(AuditEntry.Record(now, userId, AuditActors.Customer, AuditEvents.Cancelled,
                    AuditEvents.Failed, sourceAddress, AuditDetails.WrongPassword));
                await db.SaveChangesAsync(cancellationToken);
            }
            if (check.Verdict == PasswordVerdict.Locked) return new(Refusal: OtpRefusal.LockedOut, LockedUntil: check.LockedUntil);
            if (check.Verdict == PasswordVerdict.Wrong) return new(CodeError.Wrong);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        registration.CancelUse(now);
        issue.Void(VoidReasons.Cancelled, now);
        db.AuditEntries.Add(AuditEntry.Record(now, userId, AuditActors.Customer, AuditEvents.Cancelled,
            AuditEvents.Succeeded, sourceAddress));
        if (await db.SaveAsync(cancellationToken) != SaveOutcome.Saved) return new(Refusal: OtpRefusal.ConcurrentChange);
        await SetTwoFactorAsync(db, userId, enabled: false, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        security.OtpUseCancelled(userId, sourceAddress);

        // Whoever else is signed in as this customer signed in with the token that is now gone.
        await sessions.EndOthersAsync(userId, currentSessionId, "otp-cancelled", cancellationToken);

        await notices.UseCancelledAsync(userId, now, cancellationToken);
        return new();
    }

    /// <summary>
    /// Identity's two-factor flag follows 利用中, in the same transaction, so the user row reads true to Identity's own
    /// tools. The portal itself decides on the registration's status.
    /// </summary>
    private static Task SetTwoFactorAsync(PortalDbContext db, string userId, bool enabled, CancellationToken cancellationToken) =>
        db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.TwoFactorEnabled, enabled), cancellationToken);

    /// <summary>The customer's answer to a refused code (the proof has audited, counted and mailed it); null when accepted.</summary>
    private static CodeCheckResult? Refusal(CodeCheck check) => check.Verdict switch
    {
        CodeVerdict.Accepted => null,
        CodeVerdict.LockedOut => new(Refusal: OtpRefusal.LockedOut, LockedUntil: check.LockedUntil),
        _ => new(CodeError.Wrong),
    };

    /// <summary>The login password of a 申請済 customer, checked as the ログイン画面 checks it; a right one clears the failures.</summary>
    private async Task<PasswordCheck> CheckLoginPasswordAsync(string userId, string password, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        if (await users.FindByIdAsync(userId) is not { } user) return new(PasswordVerdict.Wrong);
        return await accountLock.CheckPasswordAsync(users, user, password, clearsFailures: true, cancellationToken);
    }

    /// <summary>Loads the registration and its issue, first returning a lapsed or voided 申請済 to 未登録.</summary>
    private async Task<(OtpRegistration Registration, TokenIssue? Issue)> LoadAsync(PortalDbContext db, string userId,
        string? sourceAddress, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var registration = await db.OtpRegistrations.SingleOrDefaultAsync(r => r.UserId == userId, cancellationToken);
        if (registration is null)
        {
            registration = OtpRegistration.For(userId, now);
            db.OtpRegistrations.Add(registration);
            return (registration, null);
        }

        var issue = registration.CurrentIssueId is { } issueId
            ? await db.TokenIssues.SingleOrDefaultAsync(i => i.Id == issueId, cancellationToken)
            : null;
        if (registration.Status == RegistrationStatus.Applied && (issue is null || issue.IsVoid || issue.IsLapsedAt(now, registration.Status)))
        {
            issue?.Void(VoidReasons.Expired, now);
            registration.Expire(now);
            db.AuditEntries.Add(AuditEntry.Record(now, userId, AuditActors.System, AuditEvents.Expired,
                AuditEvents.Succeeded, sourceAddress, issue?.VoidReason));
            if (await db.SaveAsync(cancellationToken) != SaveOutcome.Saved)
                throw new DbUpdateConcurrencyException("The OTP registration changed while it was read; try again.");
            issue = null;
        }
        return (registration, issue);
    }

    /// <summary>
    /// Whether the customer already had the hour's download mails: their トークン発行 and re-send entries, each saved with a
    /// move of the registration's version. Read after the registration, so of two requests that counted the same
    /// entries only one can save (the other meets a moved version): a burst sends no more than the limit.
    /// </summary>
    private async Task<bool> OverMailLimitAsync(PortalDbContext db, string userId, DateTimeOffset now, string? sourceAddress,
        CancellationToken cancellationToken)
    {
        var since = now.AddHours(-1);
        var mails = await db.AuditEntries.CountAsync(a => a.UserId == userId && a.At > since && a.Actor == AuditActors.Customer
            && a.Outcome == AuditEvents.Succeeded && (a.Event == AuditEvents.TokenIssued || a.Event == AuditEvents.ResendMail), cancellationToken);
        if (mails < settings.Value.DownloadMailsPerHour) return false;
        security.DownloadMailLimited(userId, sourceAddress);
        return true;
    }

    private async Task<bool> SendDownloadMailAsync(PortalDbContext db, TokenIssue issue, string downloadCode,
        string? sourceAddress, CancellationToken cancellationToken)
    {
        // From configuration alone: the request's Host and the circuit's base URI are the caller's to choose.
        var downloadUrl = links.Under($"token/?code={downloadCode}");
        var sent = await notices.DownloadMailAsync(issue, downloadUrl, cancellationToken);
        var now = clock.GetUtcNow();
        if (sent) issue.MarkMailSent(now);
        db.AuditEntries.Add(AuditEntry.Record(now, issue.UserId, AuditActors.System, AuditEvents.MailSent,
            sent ? AuditEvents.Succeeded : AuditEvents.Failed, sourceAddress, AuditDetails.DownloadMail));
        if (await db.SaveAsync(cancellationToken) == SaveOutcome.Conflict)
        {
            // A re-issue voided this issue while its mail was on its way: the mail went out all the same, so it is audited.
            db.Entry(issue).State = EntityState.Unchanged;
            await db.SaveChangesAsync(cancellationToken);
        }
        return sent;
    }
}
