using Portal.Domain.Sessions;

namespace Portal.Tests.Domain;

public class SessionPolicyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 23, 0, 0, 0, TimeSpan.Zero);
    private static readonly SessionPolicy Policy = SessionPolicy.Default;

    [Theory]
    [InlineData(0, SessionState.Active)]
    [InlineData(13 * 60 + 59, SessionState.Active)]
    [InlineData(14 * 60, SessionState.ExpiringSoon)]       // warning one minute before the idle end
    [InlineData(14 * 60 + 59, SessionState.ExpiringSoon)]
    [InlineData(15 * 60, SessionState.IdleExpired)]
    public void Idle_time_decides_between_active_warning_and_expired(int idleSeconds, SessionState expected)
    {
        var now = Start.AddHours(1);
        Assert.Equal(expected, Policy.Evaluate(Start, now.AddSeconds(-idleSeconds), now));
    }

    [Fact]
    public void Twelve_hours_end_the_session_even_when_it_was_just_used()
    {
        var now = Start.AddHours(12);
        Assert.Equal(SessionState.LifetimeExpired, Policy.Evaluate(Start, now, now));
        Assert.Equal(SessionState.Active, Policy.Evaluate(Start, now.AddSeconds(-1), now.AddSeconds(-1)));
    }

    [Fact]
    public void Ends_at_is_the_earlier_of_idle_end_and_lifetime_end()
    {
        Assert.Equal(Start.AddMinutes(20), Policy.EndsAt(Start, Start.AddMinutes(5)));
        Assert.Equal(Start.AddHours(12), Policy.EndsAt(Start, Start.AddHours(11).AddMinutes(50)));
    }

    [Fact]
    public void Configured_numbers_are_used()
    {
        var policy = new SessionPolicy(TimeSpan.FromMinutes(5), TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));
        var now = Start.AddMinutes(30);
        Assert.Equal(SessionState.ExpiringSoon, policy.Evaluate(Start, now.AddSeconds(-4 * 60 - 40), now));
        Assert.Equal(SessionState.IdleExpired, policy.Evaluate(Start, now.AddMinutes(-5), now));
        Assert.Equal(SessionState.LifetimeExpired, policy.Evaluate(Start, Start.AddMinutes(59), Start.AddHours(1)));
    }
}
