using System.Text;
using Microsoft.Playwright;
using Portal.Banking;
using Portal.Domain;
using Portal.Domain.Banking;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

/// <summary>SPEC scenario 7 in Chromium: the account, this month's entries, the CSV, a refused period, a phone.</summary>
[Collection(BrowserCollection.Name)]
public class AccountStatementTests(BrowserPortal browser)
{
    [Fact]
    public async Task Scenario_7_a_customer_in_use_sees_the_balance_and_this_months_entries_and_downloads_the_csv()
    {
        var today = JapanTime.Today(TimeProvider.System);
        var enrolled = await browser.Portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        var bookings = DemoLedger.Generate(seed: 1, today);
        var (_, balance) = await browser.Portal.CreateAccountAsync(enrolled.Customer.UserId, bookings, "キタ シンタロウ");
        var month = StatementPeriods.Fixed(PeriodKind.Month, today);
        var latest = bookings.Where(b => month.Contains(b.At)).OrderBy(b => b.At).Last();

        var page = await browser.NewPageAsync();
        await BrowserPortal.SignInWithTokenAsync(page, enrolled);
        await page.GetByRole(AriaRole.Link, new() { Name = "【代表口座の入出金】" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "【代表口座の入出金】", Level = 1 })).ToBeVisibleAsync();
        await BrowserPortal.WaitForInteractiveAsync(page);

        // The balance, and this month's entries newest first (1か月 is the default period).
        await Expect(page.GetByTestId("balance")).ToHaveTextAsync(MoneyText.Yen(balance));
        await Expect(page.GetByText("キタ シンタロウ")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "1か月" })).ToBeCheckedAsync();
        await Expect(page.GetByTestId("statement-range")).ToHaveTextAsync(MoneyText.Range(month));
        await Expect(page.Locator("td.description").First).ToHaveTextAsync(latest.Description);
        var inMonth = bookings.Count(b => month.Contains(b.At));
        await Expect(page.GetByTestId("statement-totals")).ToContainTextAsync($"{inMonth}件");
        await Expect(page.GetByText($"（全{inMonth}件）")).ToBeVisibleAsync();
        await BrowserPortal.ScreenshotAsync(page, "account-desktop");

        // The CSV of the period: UTF-8 with a BOM, the header row, the latest entry.
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "CSVダウンロード" }).ClickAsync());
        Assert.StartsWith("入出金明細_", download.SuggestedFilename);
        Assert.EndsWith(".csv", download.SuggestedFilename);
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync(), TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).TrimEnd().Split("\r\n");
        Assert.Equal("日付,摘要,お支払金額,お預り金額,差引残高", lines[0]);
        Assert.StartsWith($"{JapanTime.FormatCompactDate(latest.At)},{latest.Description},", lines[^1]);
        Assert.EndsWith("," + balance.Yen, lines[^1]);
        Assert.Equal(inMonth, lines.Length - 1);

        // 期間指定 with the end before the start: a message at the field, no statement, no error page.
        await page.GetByRole(AriaRole.Radio, new() { Name = "期間指定" }).CheckAsync();
        await page.GetByLabel("開始日").FillAsync(StatementPeriods.Format(today.AddDays(-1)));
        await page.GetByLabel("終了日").FillAsync(StatementPeriods.Format(today.AddDays(-2)));
        await page.GetByRole(AriaRole.Button, new() { Name = "照会" }).ClickAsync();
        await Expect(page.GetByText("終了日は開始日と同じか、それ以降の日付を入力してください。")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("statement-totals")).ToHaveCountAsync(0);

        // A good one: 13 months back to today shows every entry of the account.
        await page.GotoAsync($"/banking/account?period=custom&from={StatementPeriods.Format(StatementPeriods.Earliest(today))}&to={StatementPeriods.Format(today)}");
        await Expect(page.GetByTestId("statement-totals")).ToContainTextAsync($"{bookings.Count}件");

        // A phone: the statement becomes cards, the balance stays readable.
        await page.SetViewportSizeAsync(BrowserPortal.Phone.Width, BrowserPortal.Phone.Height);
        await page.GotoAsync("/banking/account");
        await Expect(page.Locator("td.description").First).ToHaveTextAsync(latest.Description);
        await Expect(page.GetByTestId("balance")).ToBeInViewportAsync();
        var overflow = await page.EvaluateAsync<bool>("document.documentElement.scrollWidth > document.documentElement.clientWidth");
        Assert.False(overflow, "the page scrolls sideways at 390 px");
        await BrowserPortal.ScreenshotAsync(page, "account-phone");
    }
}
