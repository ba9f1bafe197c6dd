using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MudBlazor.Services;
using Portal.Components.Pages.Account;
using Portal.Hosting;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Components;

/// <summary>The ログイン画面 while its database goes away and comes back: a clear message, never a dead circuit.</summary>
public class LoginOutageTests : BunitContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;

    public LoginOutageTests(PortalFactory portal)
    {
        _portal = portal;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(_ => _portal.Services.GetRequiredService<IOptions<SignInSettings>>());
        Services.AddSingleton(_ => _portal.Services.CreateScope().ServiceProvider.GetRequiredService<PasswordSignIn>());
        AddAuthorization();
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    [Fact]
    public async Task Signing_in_while_the_database_is_down_says_so_and_works_once_it_is_back()
    {
        var customer = await _portal.CreateCustomerAsync();
        var cut = Render<Login>();

        await _portal.Database.AllowConnectionsAsync(false);
        try
        {
            Submit(cut, customer.LoginId, customer.Password);
            cut.WaitForAssertion(() => Assert.Contains("ただいまシステムに接続できません", cut.Markup), TimeSpan.FromSeconds(30));
            var button = cut.FindAll("button[type=submit]").Single();
            Assert.False(button.HasAttribute("disabled"));
            Assert.Equal("ログイン", button.TextContent.Trim());
            JSInterop.VerifyNotInvoke("kitashin.postSignIn");
        }
        finally
        {
            await _portal.Database.AllowConnectionsAsync(true);
        }

        Submit(cut, customer.LoginId, customer.Password);
        cut.WaitForAssertion(() => JSInterop.VerifyInvoke("kitashin.postSignIn"), TimeSpan.FromSeconds(30));
        // The outage counted nothing against the customer.
        Assert.Equal(0, (await _portal.FindUserAsync(customer.UserId)).AccessFailedCount);
    }

    private static void Submit(IRenderedComponent<Login> cut, string loginId, string password) =>
        LoginFormTests.Submit(cut, loginId, password);
}
