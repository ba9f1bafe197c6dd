using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Identity;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

public partial class AccessibilityTests
{
    /// <summary>
    /// 緊急利用停止 from a notice's link, signed out: the page with its one button, the answer after it, and the same link
    /// opened again. Kept as stop-&lt;width&gt;.png for docs/screenshots.
    /// </summary>
    [Theory]
    [MemberData(nameof(Widths))]
    public async Task The_stop_page_has_no_axe_violations(string width)
    {
        var axe = new AxeWalk(width);
        var customer = await browser.Portal.CreateCustomerAsync();
        var token = await browser.Portal.Services.GetRequiredService<StopLinks>().IssueAsync(customer.UserId);
        var page = await browser.NewPageAsync(Size(width));

        await page.GotoAsync("/stop?token=" + token);
        var button = page.GetByRole(AriaRole.Button, new() { Name = "利用停止", Exact = true });
        await Expect(button).ToBeEnabledAsync();
        await axe.CheckAsync(page, "stop");
        await BrowserPortal.ScreenshotAsync(page, $"stop-{width}");

        await button.ClickAsync();
        await Expect(page.GetByTestId("stop-done")).ToBeVisibleAsync();
        await axe.CheckAsync(page, "stop-done");

        await page.ReloadAsync();
        await Expect(page.GetByTestId("stop-invalid")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "利用停止", Exact = true })).ToHaveCountAsync(0);
        await axe.CheckAsync(page, "stop-invalid");
        axe.AssertNone();
    }
}
