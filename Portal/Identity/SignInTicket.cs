namespace Portal.Identity;

/// <summary>
/// A sign-in checked in the circuit, waiting to be redeemed by the cookie endpoint. Only the secret's hash is kept;
/// see <see cref="Portal.Domain.SignIn.SignInTicketRules"/>.
/// </summary>
public sealed class SignInTicket
{
    public long Id { get; set; }
    public required string SecretHash { get; set; }
    public required string UserId { get; set; }

    /// <summary>Which factors were checked, e.g. "pwd" or "pwd otp".</summary>
    public required string Factors { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RedeemedAt { get; set; }
}
