using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Portal.Components.Pages.Admin;

namespace Portal.Tests.Components;

public class AdminActionDialogTests : BunitContext
{
    public AdminActionDialogTests()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        SetRendererInfo(new Microsoft.AspNetCore.Components.RendererInfo("Server", isInteractive: true));
        Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task Without_a_reason_nothing_is_done_and_the_field_says_why()
    {
        var provider = Render<MudDialogProvider>();
        var dialog = await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<AdminActionDialog>("ロック解除",
            new DialogParameters<AdminActionDialog> { { d => d.Title, "ロック解除" }, { d => d.Message, "理由を選択してください。" } }));

        Assert.Contains("理由", provider.FindAll("label").Select(l => l.TextContent.Trim()));
        Assert.Equal(["実行", "中止"], OtpFormsTests.ButtonTexts(provider.Find(".mud-dialog-actions"))); // as every form in the guide
        provider.FindAll("button").Single(b => b.TextContent.Trim() == "実行").Click();

        provider.WaitForAssertion(() => Assert.Contains("理由を選択してください。", provider.Find(".mud-input-error").TextContent));
        Assert.False(dialog.Result.IsCompleted);

        provider.FindAll("button").Single(b => b.TextContent.Trim() == "中止").Click();
        Assert.True((await dialog.Result)!.Canceled);
    }
}
