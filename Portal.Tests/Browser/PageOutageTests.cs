using Microsoft.Playwright;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static Portal.Tests.Support.Bookings;

namespace Portal.Tests.Browser;

/// <summary>A read-only page while the database goes away and comes back: it says so, and the next page works again.</summary>
[Collection(BrowserCollection.Name)]
public class PageOutageTests(BrowserPortal browser)
{
    [Fact]
    public async Task A_page_that_meets_a_database_outage_says_so_and_the_next_page_works_once_it_is_back()
    {
        var enrolled = await browser.Portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        await browser.Portal.CreateAccountAsync(enrolled.Customer.UserId,
            [At(Portal.Domain.JapanTime.Today(TimeProvider.System).AddDays(-1), 9, "給与", 10_000)]);
        var page = await browser.NewPageAsync();
        await BrowserPortal.SignInWithTokenAsync(page, enrolled);
        await page.GotoAsync("/payeasy/history");
        await BrowserPortal.WaitForInteractiveAsync(page);

        await browser.Portal.Database.AllowConnectionsAsync(false);
        try
        {
            // A click, not CheckAsync: the error takes the radio's place, so "is it checked now?" would wait for a radio
            // that is gone.
            await page.GetByRole(AriaRole.Radio, new() { Name = "1週間" }).ClickAsync();
            await Expect(page.GetByTestId("page-error")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^ただいまシステムに接続できません"),
                new() { Timeout = 30_000 });
        }
        finally
        {
            await browser.Portal.Database.AllowConnectionsAsync(true);
        }

        // The next page the customer opens in the same circuit starts afresh.
        await page.GetByRole(AriaRole.Link, new() { Name = "きたしんインターネットバンキング" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "【代表口座の入出金】" }).ClickAsync();
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync("10,000円");
        await Expect(page.GetByTestId("page-error")).ToHaveCountAsync(0);
    }
}
