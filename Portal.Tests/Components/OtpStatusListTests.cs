using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Portal.Admin;
using Portal.Components.Pages.Admin;
using Portal.Otp;
using Portal.Tests.Support;

namespace Portal.Tests.Components;

/// <summary>The admin OTP status list's search and status filter, on the real queries and PostgreSQL.</summary>
public class OtpStatusListTests : BunitContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;

    public OtpStatusListTests(PortalFactory portal)
    {
        _portal = portal;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(portal.Services.CreateScope().ServiceProvider.GetRequiredService<AdminOtpQueries>());
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private static IReadOnlyList<string> LoginIdsShown(IRenderedComponent<OtpStatusList> list) =>
        [.. list.FindAll("tbody tr.mud-table-row a").Select(a => a.TextContent.Trim())];

    private static void ChooseStatus(IRenderedComponent<OtpStatusList> list, IRenderedComponent<MudPopoverProvider> popovers, string status)
    {
        list.Find(".mud-select .mud-input-control").MouseDown();
        popovers.WaitForAssertion(() => Assert.NotEmpty(popovers.FindAll(".mud-list-item")));
        popovers.FindAll(".mud-list-item").Single(i => i.TextContent.Trim() == status).Click();
    }

    [Fact]
    public async Task Search_narrows_the_rows_the_status_filter_narrows_them_again_and_clearing_it_restores_them()
    {
        var marker = "一覧" + Guid.NewGuid().ToString("N")[..6];
        var plain = await _portal.CreateCustomerAsync(marker + " 未登録");
        var applied = await _portal.CreateCustomerAsync(marker + " 申請済");
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var issued = await scope.ServiceProvider.GetRequiredService<OtpEnrollment>().IssueTokenAsync(applied.UserId,
                new IssueTokenInput($"l{Guid.NewGuid():N}"[..12] + "@docomo.ne.jp", "1234", "1234"), null,
                Xunit.TestContext.Current.CancellationToken);
            Assert.True(issued.Succeeded);
        }
        var other = await _portal.CreateCustomerAsync("別人 三郎");
        var popovers = Render<MudPopoverProvider>();
        var list = Render<OtpStatusList>();

        list.Find("input[type=text]").Input(marker);
        list.WaitForAssertion(() => Assert.Equal(new[] { applied.LoginId, plain.LoginId }.Order(), LoginIdsShown(list).Order()),
            TimeSpan.FromSeconds(5));
        Assert.DoesNotContain(other.LoginId, list.Markup);
        Assert.Contains("1〜2件（全2件）", list.Markup);

        // 登録状況: 申請済 leaves the one customer with a token issued.
        ChooseStatus(list, popovers, "申請済");
        list.WaitForAssertion(() => Assert.Equal([applied.LoginId], LoginIdsShown(list)), TimeSpan.FromSeconds(5));
        Assert.Contains("申請済", list.Find("tbody tr.mud-table-row").TextContent);

        // 利用中: nobody of these.
        ChooseStatus(list, popovers, "利用中");
        list.WaitForAssertion(() => Assert.Empty(LoginIdsShown(list)), TimeSpan.FromSeconds(5));
        Assert.Contains("該当するお客様はいません", list.Markup);

        // Clearing the filter brings both back.
        list.Find(".mud-select .mud-input-clear-button").Click();
        list.WaitForAssertion(() => Assert.Equal(2, LoginIdsShown(list).Count), TimeSpan.FromSeconds(5));
    }
}
