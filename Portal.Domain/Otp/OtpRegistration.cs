namespace Portal.Domain.Otp;

/// <summary>A transition the status machine does not allow from the current status.</summary>
public sealed class OtpTransitionRefusedException(RegistrationStatus from, string transition)
    : InvalidOperationException($"OTP transition '{transition}' is not allowed from {from}.")
{
    public RegistrationStatus From { get; } = from;
    public string Transition { get; } = transition;
}

/// <summary>
/// A customer's one-time password registration: the status machine of SPEC section 2.
/// 未登録 →(issue)→ 申請済 →(start of use)→ 利用中 →(cancel)→ 未登録; 申請済 →(cancel, expiry)→ 未登録;
/// 申請済 →(re-issue)→ 申請済; a forced cancel takes any status to 未登録.
/// </summary>
public sealed class OtpRegistration
{
    private OtpRegistration() { }

    public static OtpRegistration For(string userId, DateTimeOffset now) =>
        new() { UserId = userId, Status = RegistrationStatus.Unregistered, ChangedAt = now };

    public string UserId { get; private set; } = "";
    public RegistrationStatus Status { get; private set; }

    /// <summary>The token issue in force while 申請済 or 利用中.</summary>
    public Guid? CurrentIssueId { get; private set; }

    public DateTimeOffset? StartedAt { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }

    /// <summary>Bumped by every transition; the database refuses a save based on a stale read.</summary>
    public int Version { get; private set; }

    public bool CanIssue => OtpMenu.IsEnabled(Status, OtpMenuAction.IssueToken);
    public bool CanStartUse => OtpMenu.IsEnabled(Status, OtpMenuAction.StartUse);
    public bool CanCancelUse => OtpMenu.IsEnabled(Status, OtpMenuAction.CancelUse);

    /// <summary>トークン発行, or re-issue from 申請済 (the caller voids the previous issue).</summary>
    public void Issue(Guid issueId, DateTimeOffset now)
    {
        Require(CanIssue, nameof(Issue));
        Move(RegistrationStatus.Applied, now);
        CurrentIssueId = issueId;
    }

    /// <summary>ワンタイムパスワード利用開始, after a valid code from the activated token.</summary>
    public void StartUse(DateTimeOffset now)
    {
        Require(CanStartUse, nameof(StartUse));
        Move(RegistrationStatus.InUse, now);
        StartedAt = now;
    }

    /// <summary>ワンタイムパスワード利用解除 by the customer.</summary>
    public void CancelUse(DateTimeOffset now)
    {
        Require(CanCancelUse, nameof(CancelUse));
        Clear(now);
    }

    /// <summary>An issue not started within its lifetime (or voided by failed activations) returns to 未登録.</summary>
    public void Expire(DateTimeOffset now)
    {
        Require(Status == RegistrationStatus.Applied, nameof(Expire));
        Clear(now);
    }

    /// <summary>
    /// A customer's re-send of the download mail changes no status but moves the version, so that two requests that
    /// counted the same hour's mails cannot both send.
    /// </summary>
    public void CountDownloadMail() => Version++;

    /// <summary>An admin's forced cancel (lost or changed phone): any status to 未登録.</summary>
    public void ForceCancel(DateTimeOffset now) => Clear(now);

    private void Clear(DateTimeOffset now)
    {
        Move(RegistrationStatus.Unregistered, now);
        CurrentIssueId = null;
        StartedAt = null;
    }

    private void Move(RegistrationStatus to, DateTimeOffset now)
    {
        Status = to;
        ChangedAt = now;
        Version++;
    }

    private void Require(bool allowed, string transition)
    {
        if (!allowed) throw new OtpTransitionRefusedException(Status, transition);
    }
}
