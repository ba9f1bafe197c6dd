using Microsoft.AspNetCore.Identity;

namespace Portal.Identity;

/// <summary>A customer or staff member. The ログインID is Identity's <c>UserName</c>.</summary>
public sealed class PortalUser : IdentityUser
{
    /// <summary>氏名 as shown in the header, e.g. 「北 新太郎」.</summary>
    public string DisplayName { get; set; } = "";

    /// <summary>Start of the latest completed sign-in; shown as 前回ログイン日時 on the next one.</summary>
    public DateTimeOffset? LastSignInAt { get; set; }
}
