using Portal.Domain.Banking;

namespace Portal.Banking.PayEasy;

/// <summary>
/// Section "Security": a new token pays at most <see cref="NewTokenDailyLimitYen"/> a Japan day for its first
/// <see cref="NewTokenHours"/> hours after 利用開始 (SPEC 7, the FSA's request of September 2025).
/// </summary>
public sealed class NewTokenSettings
{
    public double NewTokenHours { get; set; } = 72;

    public long NewTokenDailyLimitYen { get; set; } = 50_000;

    public NewTokenLimit NewTokenLimit => new(new Money(NewTokenDailyLimitYen), TimeSpan.FromHours(NewTokenHours));
}
