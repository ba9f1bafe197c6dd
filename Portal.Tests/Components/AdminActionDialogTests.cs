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
        Render<MudPopoverProvider>();
    }

    [Fact]
    public async Task Without_a_reason_nothing_is_done_and_the_field_says_why()
    {
        var provider = Render<MudDialogProvider>();
        var dialog = await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<AdminActionDialog>("ロック解除",
            new DialogParameters<AdminActionDialog> { { d => d.Title, "ロック解除" }, { d => d.Message, "理由を選択してください。" } }));

        Assert.Contains("理由", provider.FindAll("label").Select(l => l.TextContent.Trim()));
        provider.FindAll("button").Single(b => b.TextContent.Trim() == "実行").Click();

        provider.WaitForAssertion(() => Assert.Contains("理由を選択してください。", provider.Find(".mud-input-error").TextContent));
        Assert.False(dialog.Result.IsCompleted);

        provider.FindAll("button").Single(b => b.TextContent.Trim() == "中止").Click();
        Assert.True((await dialog.Result)!.Canceled);
    }
}
