using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor;
using MudBlazor.Services;
using Portal.Components.Shared;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Components;

/// <summary>
/// The circuit's idle timeout against the real session row on PostgreSQL, on a controlled clock: the row is the one
/// truth, so a tab left idle never ends a session the customer is using in another, and each end keeps its reason.
/// </summary>
public class SessionTimeoutCircuitTests : BunitContext, IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PortalFactory _portal;
    private readonly BunitAuthorizationContext _authorization;

    public SessionTimeoutCircuitTests()
    {
        // Idle 15 min with a 1-minute warning (the defaults); a short lifetime so the lifetime test runs on it too.
        _portal = new PortalFactory { Clock = _clock }.With("Session:AbsoluteLifetimeHours", "0.5");
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton<TimeProvider>(_clock);
        Services.AddSingleton(_ => _portal.Services.GetRequiredService<PortalSessions>());
        _authorization = AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    public ValueTask InitializeAsync() => _portal.InitializeAsync();
    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await base.DisposeAsync();
        await _portal.DisposeAsync();
    }

    /// <summary>Each look at the row is a database round trip; a loaded machine may take a while.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private async Task<PortalSession> SignedInAsync()
    {
        var customer = await _portal.CreateCustomerAsync();
        var session = await _portal.Services.GetRequiredService<PortalSessions>().StartAsync(customer.UserId, null, null);
        _authorization.SetAuthorized(customer.LoginId).SetClaims(
            new Claim(ClaimTypes.NameIdentifier, customer.UserId), new Claim(PortalClaims.SessionId, session.Id.ToString()));
        return session;
    }

    /// <summary>A tab: the component once it has read the session row and armed its timer.</summary>
    private IRenderedComponent<SessionTimeout> OpenTab()
    {
        var tab = Render<SessionTimeout>();
        tab.WaitForState(() => tab.RenderCount >= 2, Patience);
        return tab;
    }

    /// <summary>Moves the clock and waits until each tab has looked at the row again (its timer was due).</summary>
    private void Advance(TimeSpan by, params IRenderedComponent<SessionTimeout>[] lookingAgain)
    {
        var before = lookingAgain.Select(t => t.RenderCount).ToArray();
        _clock.Advance(by);
        for (var i = 0; i < lookingAgain.Length; i++)
        {
            var tab = lookingAgain[i];
            var count = before[i];
            tab.WaitForState(() => tab.RenderCount > count, Patience);
        }
    }

    private async Task<PortalSession> RowAsync(Guid id)
    {
        await using var db = _portal.Database.CreateContext();
        return await db.PortalSessions.AsNoTracking().SingleAsync(s => s.Id == id);
    }

    private string Uri => Services.GetRequiredService<NavigationManager>().Uri;

    /// <summary>Polls: leaving for the login screen renders nothing that bUnit's WaitFor could watch.</summary>
    private async Task SentToLoginAsync()
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!Uri.EndsWith("/login?reason=timeout", StringComparison.Ordinal) && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.EndsWith("/login?reason=timeout", Uri);
    }

    [Fact]
    public async Task Working_in_one_tab_keeps_the_session_alive_while_another_tab_sits_idle()
    {
        var session = await SignedInAsync();
        var dialogs = Render<MudDialogProvider>();
        var busy = OpenTab();
        var idle = OpenTab();

        _clock.Advance(TimeSpan.FromMinutes(10));
        await busy.InvokeAsync(() => busy.Instance.ReportActivity());
        // 16 minutes after sign-in, 6 after the activity: both tabs' timers were due at 14 minutes and looked again.
        Advance(TimeSpan.FromMinutes(6), busy, idle);

        Assert.Null((await RowAsync(session.Id)).EndedAt);
        Assert.DoesNotContain("/login", Uri);
        Assert.DoesNotContain("まもなく自動的にログアウトします", dialogs.Markup);

        // Left alone from then on: both tabs warn a minute before the end, and the row ends as idle.
        Advance(TimeSpan.FromMinutes(8.5), busy, idle);
        dialogs.WaitForAssertion(() => Assert.Contains("まもなく自動的にログアウトします", dialogs.Markup), Patience);
        _clock.Advance(TimeSpan.FromMinutes(1));
        await SentToLoginAsync();
        var ended = await RowAsync(session.Id);
        Assert.Equal("idle", ended.EndReason);
    }

    [Fact]
    public async Task A_session_that_reaches_its_lifetime_ends_as_lifetime_not_idle()
    {
        var session = await SignedInAsync();
        var tab = OpenTab();
        // Active every ten minutes: the idle timeout never comes, the 30-minute lifetime does.
        _clock.Advance(TimeSpan.FromMinutes(10));
        await tab.InvokeAsync(() => tab.Instance.ReportActivity());
        Advance(TimeSpan.FromMinutes(10), tab);
        await tab.InvokeAsync(() => tab.Instance.ReportActivity());
        _clock.Advance(TimeSpan.FromMinutes(10));

        await SentToLoginAsync();
        Assert.Equal("lifetime", (await RowAsync(session.Id)).EndReason);
    }
}
