using Bunit;
using Microsoft.AspNetCore.Components;
using MudBlazor.Services;
using Microsoft.Extensions.DependencyInjection;
using Portal.Components.Shared;
using Portal.Domain.Otp;

namespace Portal.Tests.Components;

public class RegistrationStatusPanelTests : BunitContext
{
    public RegistrationStatusPanelTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private IRenderedComponent<RegistrationStatusPanel> RenderPanel(RegistrationStatus status, List<string>? clicked = null) =>
        Render<RegistrationStatusPanel>(p => p
            .Add(x => x.Status, status)
            .Add(x => x.OnIssueToken, EventCallback.Factory.Create(this, () => clicked?.Add("issue")))
            .Add(x => x.OnStartUse, EventCallback.Factory.Create(this, () => clicked?.Add("start")))
            .Add(x => x.OnCancelUse, EventCallback.Factory.Create(this, () => clicked?.Add("cancel"))));

    private static IElement Button(IRenderedComponent<RegistrationStatusPanel> panel, string name) =>
        panel.FindAll("button").Single(b => b.TextContent.Trim() == name);

    [Theory]
    [InlineData(RegistrationStatus.Unregistered, "未登録", true, false, false)]
    [InlineData(RegistrationStatus.Applied, "申請済", true, true, true)]
    [InlineData(RegistrationStatus.InUse, "利用中", false, false, true)]
    public void Shows_the_status_and_enables_the_buttons_it_allows_disabling_the_rest(
        RegistrationStatus status, string label, bool issue, bool start, bool cancel)
    {
        var panel = RenderPanel(status);
        Assert.Contains("【ワンタイムパスワード登録状況】", panel.Markup);
        Assert.Contains("登録状況", panel.Find("dt").TextContent);
        Assert.Equal(label, panel.Find("[data-testid=otp-status]").TextContent.Trim());
        // All three are always shown; only their state differs.
        Assert.Equal(issue, !Button(panel, "トークン発行").HasAttribute("disabled"));
        Assert.Equal(start, !Button(panel, "ワンタイムパスワード利用開始").HasAttribute("disabled"));
        Assert.Equal(cancel, !Button(panel, "ワンタイムパスワード利用解除").HasAttribute("disabled"));
    }

    [Fact]
    public void Each_enabled_button_raises_its_own_action()
    {
        var clicked = new List<string>();
        var panel = RenderPanel(RegistrationStatus.Applied, clicked);
        Button(panel, "トークン発行").Click();
        Button(panel, "ワンタイムパスワード利用開始").Click();
        Button(panel, "ワンタイムパスワード利用解除").Click();
        Assert.Equal(["issue", "start", "cancel"], clicked);
    }
}
