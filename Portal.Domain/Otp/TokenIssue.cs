using System.Security.Cryptography;

namespace Portal.Domain.Otp;

public enum ActivationOutcome
{
    Activated,
    /// <summary>Wrong 利用開始パスワード; the issue lives on.</summary>
    WrongPassword,
    /// <summary>Wrong password for the last allowed time: the issue is now void.</summary>
    Voided,
    /// <summary>Already activated, voided or expired: nothing changes.</summary>
    NotActivatable,
}

/// <summary>
/// One トークン発行: the ユーザID, the mobile address the mail went to, the hashed 利用開始パスワード, the
/// download code, and, once the token app has been set up, the encrypted TOTP secret.
/// </summary>
public sealed class TokenIssue
{
    public const int MaxActivationFailures = 5;
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(7);

    private TokenIssue() { }

    public static TokenIssue Create(string userId, string serviceId, string mobileEmail, string activationPasswordHash,
        string downloadCodeHash, DateTimeOffset now, TimeSpan lifetime) => new()
    {
        Id = Guid.CreateVersion7(now),
        UserId = userId,
        ServiceId = serviceId,
        TokenUserId = NewTokenUserId(),
        MobileEmail = mobileEmail,
        ActivationPasswordHash = activationPasswordHash,
        DownloadCodeHash = downloadCodeHash,
        IssuedAt = now,
        ExpiresAt = now + lifetime,
    };

    public Guid Id { get; private set; }
    public string UserId { get; private set; } = "";
    public string ServiceId { get; private set; } = "";

    /// <summary>ユーザID: 10 random digits, unrelated to the login ID.</summary>
    public string TokenUserId { get; private set; } = "";

    public string MobileEmail { get; private set; } = "";
    public string ActivationPasswordHash { get; private set; } = "";
    public string DownloadCodeHash { get; private set; } = "";
    public DateTimeOffset IssuedAt { get; private set; }
    public DateTimeOffset ExpiresAt { get; private set; }
    public DateTimeOffset? MailSentAt { get; private set; }
    public int FailedActivations { get; private set; }
    public DateTimeOffset? ActivatedAt { get; private set; }
    public string? ActivationUserAgent { get; private set; }
    public string? ActivationAddress { get; private set; }

    /// <summary>The TOTP secret, encrypted by the application before it is set; never the plain bytes.</summary>
    public string? ProtectedSecret { get; private set; }

    public DateTimeOffset? VoidedAt { get; private set; }
    public string? VoidReason { get; private set; }

    /// <summary>Bumped by every change, so two simultaneous activations cannot both be saved.</summary>
    public int Version { get; private set; }

    public bool IsVoid => VoidedAt is not null;

    /// <summary>Before start of use an issue lapses after its lifetime; once in use it does not.</summary>
    public bool IsLapsedAt(DateTimeOffset now, RegistrationStatus status) =>
        status == RegistrationStatus.Applied && now >= ExpiresAt;

    public bool IsDownloadableAt(DateTimeOffset now) => !IsVoid && ActivatedAt is null && now < ExpiresAt;

    /// <summary>Set-up of the token app: succeeds once; five wrong passwords void the issue.</summary>
    public ActivationOutcome Activate(bool passwordMatches, DateTimeOffset now, string? userAgent, string? address,
        string protectedSecret)
    {
        if (!IsDownloadableAt(now)) return ActivationOutcome.NotActivatable;
        Version++;
        if (!passwordMatches)
        {
            FailedActivations++;
            if (FailedActivations < MaxActivationFailures) return ActivationOutcome.WrongPassword;
            Void(VoidReasons.ActivationFailures, now);
            return ActivationOutcome.Voided;
        }
        ActivatedAt = now;
        ActivationUserAgent = userAgent is { Length: > 512 } ? userAgent[..512] : userAgent;
        ActivationAddress = address;
        ProtectedSecret = protectedSecret;
        return ActivationOutcome.Activated;
    }

    public void MarkMailSent(DateTimeOffset now)
    {
        MailSentAt = now;
        Version++;
    }

    /// <summary>The hash is made by the application (a slow password hash) once the issue exists.</summary>
    public void SetActivationPasswordHash(string hash) => ActivationPasswordHash = hash;

    /// <summary>A re-sent mail carries a new download code; the old link stops working.</summary>
    public void ReplaceDownloadCode(string downloadCodeHash)
    {
        DownloadCodeHash = downloadCodeHash;
        MailSentAt = null;
        Version++;
    }

    /// <summary>Re-issue, cancel, expiry or failed activations: the issue and its secret are gone for good.</summary>
    public void Void(string reason, DateTimeOffset now)
    {
        if (IsVoid) return;
        Version++;
        VoidedAt = now;
        VoidReason = reason;
        ProtectedSecret = null;
    }

    private static string NewTokenUserId() =>
        string.Concat(Enumerable.Range(0, 10).Select(_ => (char)('0' + RandomNumberGenerator.GetInt32(10))));
}

/// <summary>Why an issue stopped being usable (<see cref="TokenIssue.VoidReason"/>).</summary>
public static class VoidReasons
{
    public const string Reissued = "reissued";
    public const string Expired = "expired";
    public const string Cancelled = "cancelled";
    public const string ForcedCancel = "forced-cancel";
    public const string ActivationFailures = "activation-failures";
}
