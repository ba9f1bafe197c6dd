using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

public class SignInTicketTests(MigratedDatabase fixture) : IClassFixture<MigratedDatabase>
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));

    private async Task<(SignInTickets Tickets, string UserId)> ArrangeAsync()
    {
        await using var db = fixture.Database.CreateContext();
        var user = new PortalUser { UserName = "t" + Guid.NewGuid().ToString("N")[..10], DisplayName = "券 太郎" };
        user.NormalizedUserName = user.UserName!.ToUpperInvariant();
        db.Users.Add(user);
        await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        return (new SignInTickets(fixture.Database.CreateFactory(), _clock), user.Id);
    }

    [Fact]
    public async Task A_ticket_is_redeemed_once_and_stored_only_as_a_hash()
    {
        var (tickets, userId) = await ArrangeAsync();
        var secret = await tickets.IssueAsync(userId, "pwd", TestContext.Current.CancellationToken);

        await using (var db = fixture.Database.CreateContext())
            Assert.False(await db.SignInTickets.AnyAsync(t => t.SecretHash == secret, TestContext.Current.CancellationToken));

        var first = await tickets.RedeemAsync(secret, TestContext.Current.CancellationToken);
        Assert.Equal((userId, "pwd", "券 太郎", false), (first!.UserId, first.Factors, first.Customer.DisplayName, first.OtpInUse));
        Assert.Null(await tickets.RedeemAsync(secret, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_ticket_expires_after_thirty_seconds()
    {
        var (tickets, userId) = await ArrangeAsync();
        var secret = await tickets.IssueAsync(userId, "pwd", TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Null(await tickets.RedeemAsync(secret, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Within_thirty_seconds_it_is_still_good()
    {
        var (tickets, userId) = await ArrangeAsync();
        var secret = await tickets.IssueAsync(userId, "pwd", TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.NotNull(await tickets.RedeemAsync(secret, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Twenty_simultaneous_redemptions_of_one_ticket_succeed_exactly_once()
    {
        var (tickets, userId) = await ArrangeAsync();
        var secret = await tickets.IssueAsync(userId, "pwd", TestContext.Current.CancellationToken);
        var results = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => tickets.RedeemAsync(secret, TestContext.Current.CancellationToken))));
        Assert.Single(results, r => r is not null);
    }

    [Fact]
    public async Task Tickets_older_than_a_day_are_swept_at_most_once_a_minute()
    {
        var cancel = TestContext.Current.CancellationToken;
        var (tickets, userId) = await ArrangeAsync();
        await tickets.IssueAsync(userId, "pwd", cancel); // the first issue sweeps (nothing is stale yet)
        await using (var db = fixture.Database.CreateContext())
        {
            var longAgo = _clock.GetUtcNow() - SignInTickets.KeptFor - TimeSpan.FromHours(1);
            db.SignInTickets.Add(new SignInTicket
            {
                SecretHash = "stale-" + userId, UserId = userId, Factors = "pwd", CreatedAt = longAgo, ExpiresAt = longAgo.AddSeconds(30),
            });
            await db.SaveChangesAsync(cancel);
        }

        _clock.Advance(TimeSpan.FromSeconds(40));
        await tickets.IssueAsync(userId, "pwd", cancel); // within the minute: no sweep
        Assert.Equal(3, await CountAsync(userId));

        _clock.Advance(TimeSpan.FromSeconds(21));
        await tickets.IssueAsync(userId, "pwd", cancel); // due: only the stale one goes
        Assert.Equal(3, await CountAsync(userId));
        await using (var db = fixture.Database.CreateContext())
            Assert.False(await db.SignInTickets.AnyAsync(t => t.SecretHash == "stale-" + userId, cancel));
    }

    private async Task<int> CountAsync(string userId)
    {
        await using var db = fixture.Database.CreateContext();
        return await db.SignInTickets.CountAsync(t => t.UserId == userId, TestContext.Current.CancellationToken);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-ticket")]
    [InlineData("' OR 1=1; --")]
    public async Task Unknown_or_malformed_tickets_are_refused(string? secret)
    {
        var (tickets, _) = await ArrangeAsync();
        Assert.Null(await tickets.RedeemAsync(secret, TestContext.Current.CancellationToken));
        Assert.Null(await tickets.RedeemAsync(new string('x', 10_000), TestContext.Current.CancellationToken));
    }
}
