using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor;
using MudBlazor.Services;
using Portal.Admin;
using Portal.Components.Pages;
using Portal.Components.Pages.Admin;
using Portal.Domain;
using Portal.Domain.Stops;
using Portal.Hosting;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Components;

/// <summary>
/// The 緊急利用停止 page (one button, a plain message for a link that cannot stop) and the admin's 利用停止 section
/// (who stopped and when, 利用停止の解除 with a reason), on the real services and PostgreSQL.
/// </summary>
public class EmergencyStopComponentTests : BunitContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;
    private readonly BunitAuthorizationContext _auth;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    public EmergencyStopComponentTests(PortalFactory portal)
    {
        _portal = portal;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(portal.Services.GetRequiredService<ServiceStops>());
        Services.AddSingleton(portal.Services.GetRequiredService<IOptions<SignInSettings>>());
        Services.AddSingleton(portal.Services.GetRequiredService<PortalSessions>());
        var scope = portal.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<AdminOtpQueries>());
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<AdminOtpActions>());
        Services.AddScoped<CurrentCustomer>();
        _auth = AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private IRenderedComponent<EmergencyStop> OpenStopPage(string? token)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/stop" + (token is null ? "" : "?token=" + token));
        return Render<EmergencyStop>();
    }

    [Fact]
    public async Task The_page_offers_one_button_that_stops_and_says_plainly_when_a_link_cannot()
    {
        var customer = await _portal.CreateCustomerAsync();
        var token = await _portal.Services.GetRequiredService<StopLinks>().IssueAsync(customer.UserId);

        var page = OpenStopPage(token);
        page.WaitForAssertion(() => Assert.Contains("このボタンを押すと", page.Markup), Wait);
        Assert.Equal(["利用停止"], page.FindAll("button").Select(b => b.TextContent.Trim()));
        await using (var db = _portal.CreatePortalContext())
            Assert.False(await db.ServiceStops.AnyAsync(s => s.UserId == customer.UserId)); // rendering stopped nothing

        page.Find("button").Click();
        page.WaitForAssertion(() => Assert.Contains("ご利用を停止しました", page.Find("[data-testid=stop-done]").TextContent), Wait);
        Assert.Empty(page.FindAll("button"));
        await using (var db = _portal.CreatePortalContext())
            Assert.True(await db.StopsInForce.AnyAsync(s => s.UserId == customer.UserId));

        // Used, unknown, missing: the same plain message with the help desk, and no button.
        var helpDesk = _portal.Services.GetRequiredService<IOptions<SignInSettings>>().Value.HelpDesk;
        foreach (var spent in new[] { token, Secrets.NewUrlSafe(), null })
        {
            var again = OpenStopPage(spent);
            again.WaitForAssertion(() => Assert.Contains("このURLはご利用になれません", again.Find("[data-testid=stop-invalid]").TextContent), Wait);
            Assert.Contains(helpDesk, again.Find("[data-testid=stop-invalid]").TextContent);
            Assert.Empty(again.FindAll("button"));
        }
    }

    [Fact]
    public async Task Staff_see_who_stopped_and_when_and_lift_it_with_a_reason()
    {
        var customer = await _portal.CreateCustomerAsync();
        var admin = await _portal.CreateCustomerAsync("管理 花子");
        _auth.SetAuthorized(admin.LoginId);
        _auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, admin.UserId));
        var stoppedAt = new DateTimeOffset(2026, 11, 24, 1, 2, 0, TimeSpan.Zero);
        await using (var db = _portal.CreatePortalContext())
        {
            db.ServiceStops.Add(new ServiceStop { UserId = customer.UserId, StoppedAt = stoppedAt, StoppedBy = EmergencyStopRules.ByLink });
            await db.SaveChangesAsync();
        }

        var popovers = Render<MudPopoverProvider>();
        var dialogs = Render<MudDialogProvider>();
        var section = Render<CustomerServiceStopSection>(p => p.Add(s => s.UserId, customer.UserId));
        section.WaitForAssertion(() => Assert.Equal($"{JapanTime.FormatDateTime(stoppedAt)}に停止（お客様が緊急利用停止のURLから）",
            section.Find("[data-testid=service-stop]").TextContent.Trim()), Wait);

        section.FindAll("button").Single(b => b.TextContent.Trim() == "利用停止の解除").Click();
        dialogs.WaitForAssertion(() => Assert.NotEmpty(dialogs.FindAll(".mud-dialog")), Wait);
        dialogs.Find(".mud-select .mud-input-control").MouseDown();
        popovers.WaitForAssertion(() => Assert.NotEmpty(popovers.FindAll(".mud-list-item")), Wait);
        popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == "お客様からのお申し出").Click();
        dialogs.FindAll("button").Single(b => b.TextContent.Trim() == "実行").Click();

        section.WaitForAssertion(() => Assert.Equal("利用停止を解除しました。", section.Find("[data-testid=service-stop-message]").TextContent.Trim()), Wait);
        Assert.StartsWith("停止されていません", section.Find("[data-testid=service-stop]").TextContent.Trim());
        Assert.Contains(admin.LoginId, section.Find("[data-testid=service-stop]").TextContent);
        Assert.True(section.FindAll("button").Single(b => b.TextContent.Trim() == "利用停止の解除").HasAttribute("disabled"));
        await using var check = _portal.CreatePortalContext();
        Assert.False(await check.StopsInForce.AnyAsync(s => s.UserId == customer.UserId));
    }
}
