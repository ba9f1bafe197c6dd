using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Components.Pages.Account;
using Portal.Data;
using Portal.Hosting;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Components;

/// <summary>The ログイン画面 component, wired to the real sign-in services on PostgreSQL.</summary>
public class LoginFormTests : BunitContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;
    private readonly SignInSettings _signIn;

    public LoginFormTests(PortalFactory portal)
    {
        _portal = portal;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        // The page reads only the help desk from the settings; a copy per test, so one may configure its own.
        _signIn = new SignInSettings { HelpDesk = portal.Services.GetRequiredService<IOptions<SignInSettings>>().Value.HelpDesk };
        Services.AddSingleton(Options.Create(_signIn));
        // The portal's own sign-in service, from a scope of the real application.
        Services.AddSingleton(_ => portal.Services.CreateScope().ServiceProvider.GetRequiredService<PasswordSignIn>());
        AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private IRenderedComponent<Login> RenderLogin(string url = "login")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(url);
        return Render<Login>();
    }

    internal static void Submit(IRenderedComponent<Login> cut, string loginId, string password)
    {
        var inputs = cut.FindAll("input.mud-input-root");
        inputs[0].Input(loginId);
        inputs[1].Input(password);
        cut.Find("form:not([action])").Submit();
    }

    [Fact]
    public void Labels_are_the_guides_and_fields_are_labelled()
    {
        var cut = RenderLogin();
        var labels = cut.FindAll("label").Select(l => l.TextContent.Trim()).ToList();
        Assert.Contains("ログインID", labels);
        Assert.Contains("ログインパスワード", labels);
        Assert.All(cut.FindAll("label[for]"), l => Assert.NotNull(cut.Find("#" + l.GetAttribute("for"))));
        Assert.Equal("password", cut.FindAll("input.mud-input-root")[1].GetAttribute("type"));
        Assert.Contains(cut.FindAll("button"), b => b.TextContent.Trim() == "ログイン");
    }

    [Fact]
    public void Empty_fields_get_messages_next_to_them()
    {
        var cut = RenderLogin();
        Submit(cut, "", "");
        Assert.Contains("ログインIDを入力してください。", cut.Markup);
        Assert.Contains("ログインパスワードを入力してください。", cut.Markup);
        JSInterop.VerifyNotInvoke("kitashin.postSignIn");
    }

    [Theory]
    [InlineData("<script>alert(1)</script>", "ログインIDは半角英数字で入力してください。")]
    [InlineData("' OR '1'='1", "ログインIDは半角英数字で入力してください。")]
    public void Markup_and_sql_in_the_id_get_a_clear_message(string loginId, string message)
    {
        var cut = RenderLogin();
        Submit(cut, loginId, "whatever");
        Assert.Contains(message, cut.Markup);
        Assert.Empty(cut.FindAll("script")); // shown as text in the field, never as an element
    }

    [Fact]
    public void Ten_thousand_characters_get_a_length_message()
    {
        var cut = RenderLogin();
        Submit(cut, new string('a', 10_000), new string('b', 10_000));
        Assert.Contains("ログインIDは32文字以内で入力してください。", cut.Markup);
        Assert.Contains("ログインパスワードは64文字以内で入力してください。", cut.Markup);
    }

    [Fact]
    public async Task A_wrong_password_gets_one_message_that_does_not_say_which_was_wrong()
    {
        var customer = await _portal.CreateCustomerAsync();
        var cut = RenderLogin();
        Submit(cut, customer.LoginId, "Wrong-pass-1");
        cut.WaitForAssertion(() => Assert.Contains("ログインIDまたはログインパスワードが正しくありません。", cut.Markup));
        Assert.Equal("", cut.FindAll("input.mud-input-root")[1].GetAttribute("value") ?? "");

        var unknown = RenderLogin();
        Submit(unknown, "nobody123", "Wrong-pass-1");
        unknown.WaitForAssertion(() => Assert.Contains("ログインIDまたはログインパスワードが正しくありません。", unknown.Markup));
    }

    [Fact]
    public async Task The_right_password_posts_a_ticket_not_the_password()
    {
        var customer = await _portal.CreateCustomerAsync();
        var cut = RenderLogin();
        Submit(cut, customer.LoginId, customer.Password);
        cut.WaitForAssertion(() => JSInterop.VerifyInvoke("kitashin.postSignIn"));
        var ticket = (string)JSInterop.Invocations["kitashin.postSignIn"].Single().Arguments[1]!;
        Assert.NotEqual(customer.Password, ticket);
        Assert.Equal(43, ticket.Length);
    }

    [Fact]
    public async Task A_locked_account_is_told_so_and_whom_to_call()
    {
        var customer = await _portal.CreateCustomerAsync();
        var cut = RenderLogin();
        for (var i = 0; i < 5; i++)
        {
            Submit(cut, customer.LoginId, "Wrong-pass-1");
            cut.WaitForAssertion(() => Assert.False(cut.FindAll("button[type=submit]").Single().HasAttribute("disabled")));
        }
        cut.WaitForAssertion(() => Assert.Contains("ログインIDをロックしています", cut.Markup));
        Assert.Contains("ヘルプデスク（0120-000-000", cut.Find("[role=alert]").TextContent); // the number, not only the name
    }

    [Fact]
    public void The_login_screen_shows_the_configured_help_desk()
    {
        _signIn.HelpDesk = "きたしん本店窓口（0120-111-222）";
        var cut = RenderLogin();
        Assert.Contains("きたしん本店窓口（0120-111-222）", cut.Find("[data-testid=help-desk]").TextContent);
    }

    [Theory]
    [InlineData("login?reason=signedout", "ログアウトしました。")]
    [InlineData("login?reason=timeout", "一定時間操作がなかったため")]
    [InlineData("login?error=expired", "もう一度ログインしてください")]
    [InlineData("login?error=stopped", "ご利用は停止されています")]
    public void Arrival_reasons_are_explained(string url, string message) =>
        Assert.Contains(message, RenderLogin(url).Markup);

    [Fact]
    public async Task A_stopped_customer_with_the_right_password_is_refused_with_the_help_desk()
    {
        var customer = await _portal.CreateCustomerAsync();
        await using (var db = _portal.CreatePortalContext())
        {
            db.ServiceStops.Add(new ServiceStop { UserId = customer.UserId, StoppedAt = DateTimeOffset.UtcNow, StoppedBy = "stop-link" });
            await db.SaveChangesAsync(Xunit.TestContext.Current.CancellationToken);
        }
        var cut = RenderLogin();
        Submit(cut, customer.LoginId, customer.Password);
        cut.WaitForAssertion(() => Assert.Contains("インターネットバンキングのご利用は停止されています", cut.Find("[role=alert]").TextContent));
        Assert.Contains(_signIn.HelpDesk, cut.Find("[role=alert]").TextContent);
        JSInterop.VerifyNotInvoke("kitashin.postSignIn");
    }
}
