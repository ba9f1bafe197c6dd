using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OtpNet;
using Portal.Domain.Otp;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>
/// The token app's 取引認証 on a phone, in the real WebAssembly app the portal serves: from the code screen, the numbers
/// typed with a Japanese keyboard's full-width digits, the code read off the screen and verified as the server will.
/// </summary>
[Collection(BrowserCollection.Name)]
public class TokenAppTransactionAuthTests(BrowserPortal browser)
{
    [Fact]
    public async Task From_the_code_screen_the_app_shows_a_code_bound_to_the_institution_and_amount()
    {
        var secret = TotpRules.NewSecret();
        var phone = await browser.NewPageAsync(BrowserPortal.Phone);
        // A token already set up on this phone (the set-up itself is walked in EnrollmentScenarioTests).
        await phone.Context.AddInitScriptAsync(
            $$"""localStorage.setItem('kitashin.token', JSON.stringify({serviceId: 'KITASHIN01', userId: '1234567890', secret: '{{TotpRules.ToBase32(secret)}}', digits: 6, period: 30}));""");
        await phone.GotoAsync("/token/");
        await Expect(phone.GetByTestId("otp-code")).ToHaveTextAsync(OtpSteps.SixDigits());
        await BrowserPortal.ScreenshotAsync(phone, "token-app-code-screen");
        await AssertAccessibleAtPhoneWidthAsync(phone);

        await phone.GetByRole(AriaRole.Button, new() { Name = "取引認証" }).ClickAsync();
        await Expect(phone.GetByRole(AriaRole.Heading, new() { Name = "取引認証" })).ToBeVisibleAsync();
        await phone.GetByLabel("収納機関番号").FillAsync("５８０２１");
        await phone.GetByLabel("払込金額（円）").FillAsync("12,000");
        await BrowserPortal.ScreenshotAsync(phone, "token-app-transaction-auth-input");
        await AssertAccessibleAtPhoneWidthAsync(phone);
        await phone.GetByRole(AriaRole.Button, new() { Name = "表示" }).ClickAsync();

        await Expect(phone.GetByTestId("tx-institution-number")).ToHaveTextAsync("58021");
        await Expect(phone.GetByTestId("tx-amount")).ToHaveTextAsync("12,000円");
        var shown = phone.GetByTestId("tx-code");
        await Expect(shown).ToHaveTextAsync(OtpSteps.SixDigits());
        await Expect(phone.GetByTestId("tx-seconds")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^あと [0-9]+ 秒で更新されます$"));
        var code = (await shown.InnerTextAsync()).Trim();
        Assert.NotNull(TransactionAuthentication.Verify(secret, "58021", 12_000, code, DateTimeOffset.UtcNow));
        Assert.Null(TransactionAuthentication.Verify(secret, "58021", 12_001, code, DateTimeOffset.UtcNow));

        await BrowserPortal.ScreenshotAsync(phone, "token-app-transaction-auth");
        await AssertAccessibleAtPhoneWidthAsync(phone);

        await phone.GetByRole(AriaRole.Button, new() { Name = "戻る" }).ClickAsync();
        await Expect(phone.GetByTestId("otp-code")).ToHaveTextAsync(OtpSteps.SixDigits());
        await phone.Context.CloseAsync();
    }

    /// <summary>axe finds nothing; at 390 px nothing is wider than the screen and every control is a 44 px touch target.</summary>
    private static async Task AssertAccessibleAtPhoneWidthAsync(IPage phone)
    {
        var axe = await phone.RunAxe();
        Assert.NotEmpty(axe.Passes);
        Assert.Empty(axe.Violations.Select(v => $"{v.Id}: {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}"));
        Assert.True(await phone.EvaluateAsync<bool>("document.documentElement.scrollWidth <= window.innerWidth"));
        foreach (var control in await phone.Locator("button:visible, input:visible").AllAsync())
            Assert.True((await control.BoundingBoxAsync())!.Height >= 44, await control.EvaluateAsync<string>("e => e.outerHTML"));
    }
}
