using Portal.Domain;
using Portal.Domain.SignIn;

namespace Portal.Tests.Domain;

public class SignInTicketRulesTests
{
    [Fact]
    public void Secrets_are_random_url_safe_and_recognised()
    {
        var secrets = Enumerable.Range(0, 100).Select(_ => SignInTicketRules.NewSecret()).ToList();
        Assert.Equal(100, secrets.Distinct().Count());
        Assert.All(secrets, s => Assert.True(SignInTicketRules.LooksLikeSecret(s)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("'; DROP TABLE \"SignInTickets\"; --________________")]
    [InlineData("<script>alert(1)</script>__________________")]
    public void Anything_else_is_not_a_secret(string? value) => Assert.False(SignInTicketRules.LooksLikeSecret(value));

    [Fact]
    public void Hash_is_stable_and_differs_from_the_secret()
    {
        var secret = SignInTicketRules.NewSecret();
        Assert.Equal(SignInTicketRules.Hash(secret), SignInTicketRules.Hash(secret));
        Assert.NotEqual(secret, SignInTicketRules.Hash(secret));
        Assert.Equal(64, SignInTicketRules.Hash(secret).Length);
    }

    [Fact]
    public void Ticket_lives_thirty_seconds() => Assert.Equal(TimeSpan.FromSeconds(30), SignInTicketRules.Lifetime);
}

public class JapanTimeTests
{
    [Fact]
    public void Dates_read_as_the_bank_writes_them() =>
        Assert.Equal("2026年11月23日", JapanTime.FormatDate(new DateOnly(2026, 11, 23)));

    [Fact]
    public void Times_are_shown_in_japan_standard_time() =>
        Assert.Equal("2026年11月24日 8時05分",
            JapanTime.FormatDateTime(new DateTimeOffset(2026, 11, 23, 23, 5, 0, TimeSpan.Zero)));

    [Fact]
    public void Compact_times_for_tables_are_japan_standard_time_too() =>
        Assert.Equal("2026/11/24 08:05", JapanTime.FormatCompact(new DateTimeOffset(2026, 11, 23, 23, 5, 0, TimeSpan.Zero)));

    [Fact]
    public void Today_is_the_day_in_japan()
    {
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 15, 30, 0, TimeSpan.Zero));
        Assert.Equal(new DateOnly(2026, 11, 24), JapanTime.Today(clock));
    }
}
