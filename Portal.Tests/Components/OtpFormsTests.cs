using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Portal.Components.Pages.Otp;
using Portal.Components.Shared;
using Portal.Data;
using Portal.Identity;
using Portal.Otp;
using Portal.Tests.Support;

namespace Portal.Tests.Components;

/// <summary>The token issue dialog and the activation (code) form, on the real services and PostgreSQL.</summary>
public class OtpFormsTests : BunitContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;

    public OtpFormsTests(PortalFactory portal)
    {
        _portal = portal;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        var scope = portal.Services.CreateScope();
        Services.AddSingleton(scope.ServiceProvider.GetRequiredService<OtpEnrollment>());
        Services.AddSingleton(portal.Services.GetRequiredService<PortalSessions>());
        Services.AddScoped<CurrentCustomer>();
        var auth = AddAuthorization();
        Customer = portal.CreateCustomerAsync().GetAwaiter().GetResult();
        auth.SetAuthorized(Customer.LoginId);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, Customer.UserId));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private TestCustomer Customer { get; }

    private async Task<(IRenderedComponent<MudDialogProvider> Provider, IDialogReference Dialog)> OpenIssueDialogAsync()
    {
        var provider = Render<MudDialogProvider>();
        var dialog = await provider.InvokeAsync(() => Services.GetRequiredService<IDialogService>().ShowAsync<TokenIssueDialog>("トークン発行"));
        return (provider, dialog);
    }

    private static void Fill(IRenderedComponent<MudDialogProvider> provider, string email, string password, string confirmation)
    {
        var inputs = provider.FindAll("input.mud-input-root");
        inputs[0].Input(email);
        inputs[1].Input(password);
        inputs[2].Input(confirmation);
        provider.FindAll("button").Single(b => b.TextContent.Trim() == "実行").Click();
    }

    [Fact]
    public async Task The_dialog_is_titled_and_labelled_as_the_guide()
    {
        var (provider, _) = await OpenIssueDialogAsync();
        Assert.Contains("トークン発行", provider.Find(".mud-dialog-title").TextContent);
        var labels = provider.FindAll("label").Select(l => l.TextContent.Trim()).ToList();
        Assert.Contains("携帯メールアドレス", labels);
        Assert.Contains("利用開始パスワード", labels);
        Assert.Contains("確認パスワード", labels);
    }

    /// <summary>Every form in the bank's guide reads 実行 中止, 実行 first.</summary>
    [Fact]
    public async Task The_dialog_reads_execute_then_abort_as_the_guide()
    {
        var (provider, _) = await OpenIssueDialogAsync();
        Assert.Equal(["実行", "中止"], ButtonTexts(provider.Find(".mud-dialog-actions")));
    }

    [Fact]
    public void The_code_form_reads_execute_then_abort_as_the_guide()
    {
        var form = Render<OtpCodeForm>(p => p.Add(f => f.Submit, _ => Task.FromResult<string?>(null)));
        Assert.Equal(["実行", "中止"], ButtonTexts(form.Find("form")));
    }

    internal static IEnumerable<string> ButtonTexts(IElement container) =>
        container.QuerySelectorAll("button").Where(b => !b.HasAttribute("hidden")).Select(b => b.TextContent.Trim());

    [Theory]
    [InlineData("", "", "", new[] { "携帯メールアドレスを入力してください。", "利用開始パスワードを入力してください。", "確認パスワードを入力してください。" })]
    [InlineData("not-an-address", "１２３４", "１２３４", new[] { "携帯メールアドレスの形式が正しくありません。", "利用開始パスワードは半角数字で入力してください。" })]
    [InlineData("abo@docomo.ne.jp", "123", "123", new[] { "利用開始パスワードは半角数字4〜8桁で入力してください。" })]
    [InlineData("abo@docomo.ne.jp", "1234", "4321", new[] { "確認パスワードが利用開始パスワードと一致しません。" })]
    public async Task Bad_input_gets_messages_next_to_the_fields_and_issues_nothing(string email, string password, string confirmation, string[] messages)
    {
        var (provider, dialog) = await OpenIssueDialogAsync();
        Fill(provider, email, password, confirmation);
        provider.WaitForAssertion(() => Assert.All(messages, m => Assert.Contains(m, provider.Markup)));
        Assert.False(dialog.Result.IsCompleted);

        await using var db = _portal.Database.CreateContext();
        Assert.False(await db.TokenIssues.AnyAsync(i => i.UserId == Customer.UserId, Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_300_character_address_gets_the_length_message()
    {
        var (provider, _) = await OpenIssueDialogAsync();
        Fill(provider, new string('a', 288) + "@docomo.ne.jp", "1234", "1234");
        provider.WaitForAssertion(() => Assert.Contains("携帯メールアドレスは254文字以内で入力してください。", provider.Markup));
    }

    [Fact]
    public async Task Valid_input_issues_the_token_and_closes_the_dialog()
    {
        var (provider, dialog) = await OpenIssueDialogAsync();
        Fill(provider, "m" + Guid.NewGuid().ToString("N")[..8] + "@docomo.ne.jp", "2468", "2468");
        var result = await dialog.Result.WaitAsync(TimeSpan.FromSeconds(20), Xunit.TestContext.Current.CancellationToken);
        Assert.False(result!.Canceled);
        await using var db = _portal.Database.CreateContext();
        Assert.True(await db.TokenIssues.AnyAsync(i => i.UserId == Customer.UserId, Xunit.TestContext.Current.CancellationToken));
    }

    [Fact]
    public void The_code_form_asks_for_a_code_and_shows_what_the_page_says_about_it()
    {
        var submitted = new List<string>();
        var form = Render<OtpCodeForm>(p => p.Add(f => f.Submit, code =>
        {
            submitted.Add(code);
            return Task.FromResult<string?>("ワンタイムパスワードが正しくありません。");
        }));
        Assert.Contains("ワンタイムパスワード", form.Find("label").TextContent);

        form.Find("form").Submit();
        Assert.Contains("ワンタイムパスワードを入力してください。", form.Markup);
        Assert.Empty(submitted);

        form.Find("input").Input("１２３ ４５６");
        form.Find("form").Submit();
        form.WaitForAssertion(() => Assert.Contains("ワンタイムパスワードが正しくありません。", form.Markup));
        Assert.Equal(["１２３ ４５６"], submitted);
        Assert.Equal("", form.Find("input").GetAttribute("value") ?? "");
    }
}
