using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor;
using MudBlazor.Services;
using Portal.Components.Shared;
using Portal.Domain.Notices;
using Portal.Domain.Otp;

namespace Portal.Tests.Components;

/// <summary>
/// Before the circuit connects, the prerendered page shows buttons that no click can reach: they are disabled until
/// they can act (links fall back to a full page load instead: browser EarlyClickTests).
/// </summary>
public class PrerenderedControlsTests : BunitContext
{
    public PrerenderedControlsTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        Render<MudPopoverProvider>();
    }

    [Fact]
    public void The_otp_menu_buttons_wait_for_the_circuit()
    {
        var panel = Render<RegistrationStatusPanel>(p => p.Add(x => x.Status, RegistrationStatus.Applied));
        Assert.All(panel.FindAll("button"), b => Assert.True(b.HasAttribute("disabled")));
    }

    [Fact]
    public void The_notice_controls_wait_for_the_circuit()
    {
        var table = Render<NoticesTable>(p => p
            .Add(t => t.Notices, [new Notice { Id = 1, PublishedOn = new(2026, 11, 20), EndsOn = new(2027, 2, 1), Title = "お知らせ", Body = "本文" }]));
        Assert.All(table.FindAll("button"), b => Assert.True(b.HasAttribute("disabled")));
        Assert.All(table.FindAll("input[type=radio]"), r => Assert.True(r.HasAttribute("disabled")));
    }
}
