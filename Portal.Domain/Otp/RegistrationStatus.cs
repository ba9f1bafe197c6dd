namespace Portal.Domain.Otp;

/// <summary>登録状況 of a customer's one-time password.</summary>
public enum RegistrationStatus
{
    /// <summary>未登録: no token.</summary>
    Unregistered = 0,

    /// <summary>申請済: token issued and mailed; start of use pending.</summary>
    Applied = 1,

    /// <summary>利用中: a code is required at every browser sign-in.</summary>
    InUse = 2,
}

/// <summary>The three buttons of the ワンタイムパスワード申請登録画面.</summary>
public enum OtpMenuAction
{
    IssueToken,
    StartUse,
    CancelUse,
}

public static class OtpMenu
{
    /// <summary>SPEC section 2: which buttons are enabled for which status (the others are shown disabled).</summary>
    public static bool IsEnabled(RegistrationStatus status, OtpMenuAction action) => (status, action) switch
    {
        (RegistrationStatus.Unregistered, OtpMenuAction.IssueToken) => true,
        (RegistrationStatus.Applied, _) => true,
        (RegistrationStatus.InUse, OtpMenuAction.CancelUse) => true,
        _ => false,
    };
}
