using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Portal.Hosting;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

public class PortalSessionTests(MigratedDatabase fixture) : IClassFixture<MigratedDatabase>
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero));
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(PortalSessions Sessions, PortalSession Session)> StartAsync(SessionSettings? settings = null)
    {
        await using var db = fixture.Database.CreateContext();
        var user = new PortalUser { UserName = "s" + Guid.NewGuid().ToString("N")[..10] };
        db.Users.Add(user);
        await db.SaveChangesAsync(Cancel);
        var sessions = new PortalSessions(fixture.Database.CreateFactory(), _clock, Options.Create(settings ?? new SessionSettings()));
        return (sessions, await sessions.StartAsync(user.Id, "127.0.0.1", "test", Cancel));
    }

    [Fact]
    public async Task Idle_fifteen_minutes_ends_the_session_on_the_server()
    {
        var (sessions, session) = await StartAsync();
        _clock.Advance(TimeSpan.FromMinutes(14) + TimeSpan.FromSeconds(59));
        Assert.NotNull(await sessions.FindLiveAsync(session.Id, session.UserId, Cancel));

        _clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(await sessions.FindLiveAsync(session.Id, session.UserId, Cancel));

        await using var db = fixture.Database.CreateContext();
        var row = await db.PortalSessions.FindAsync([session.Id], Cancel);
        Assert.Equal("idle", row!.EndReason);
    }

    [Fact]
    public async Task Activity_keeps_it_alive_until_the_twelve_hour_lifetime()
    {
        var (sessions, session) = await StartAsync();
        for (var i = 0; i < 12 * 6 - 1; i++)
        {
            _clock.Advance(TimeSpan.FromMinutes(10));
            await sessions.TouchAsync(session.Id, Cancel);
            Assert.NotNull(await sessions.FindLiveAsync(session.Id, session.UserId, Cancel));
        }
        _clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Null(await sessions.FindLiveAsync(session.Id, session.UserId, Cancel));
    }

    [Fact]
    public async Task An_ended_session_stays_ended_and_touching_it_does_not_revive_it()
    {
        var (sessions, session) = await StartAsync();
        await sessions.EndAsync(session.Id, "signout", Cancel);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await sessions.TouchAsync(session.Id, Cancel);
        Assert.Null(await sessions.FindLiveAsync(session.Id, session.UserId, Cancel));
    }

    [Fact]
    public async Task A_session_is_found_only_for_its_own_user()
    {
        var (sessions, session) = await StartAsync();
        Assert.Null(await sessions.FindLiveAsync(session.Id, "someone-else", Cancel));
    }

    [Fact]
    public async Task The_idle_timeout_is_configurable()
    {
        var (sessions, session) = await StartAsync(new SessionSettings { IdleTimeoutMinutes = 5 });
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.Null(await sessions.FindLiveAsync(session.Id, session.UserId, Cancel));
    }
}
