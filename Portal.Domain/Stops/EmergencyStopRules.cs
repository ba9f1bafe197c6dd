namespace Portal.Domain.Stops;

/// <summary>緊急利用停止 (SPEC section 7): the link in every notice to the registered address.</summary>
public static class EmergencyStopRules
{
    /// <summary>A notice's link stops the customer's internet banking for this long after the mail, once.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromDays(7);

    /// <summary>Who set a stop: the mail's link, or bank staff (their login ID is written beside it).</summary>
    public const string ByLink = "stop-link";

    /// <summary>The customer's own security settings (section 10), when they come.</summary>
    public const string ByCustomer = "customer";
}
