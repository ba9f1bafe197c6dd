using Microsoft.Playwright;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Portal.Tests.Browser;

[Collection(BrowserCollection.Name)]
public class NoticeTests(BrowserPortal browser)
{
    [Fact]
    public async Task Content_display_opens_the_first_notice_chosen_from_the_start_and_all_titles_shows_past_ones()
    {
        var customer = await browser.Portal.CreateCustomerAsync();
        var page = await browser.NewPageAsync();
        await BrowserPortal.SignInAsync(page, customer);

        // As in the guide, the first notice is already chosen and 内容表示 works at once.
        var show = page.GetByRole(AriaRole.Button, new() { Name = "内容表示" });
        await Expect(page.GetByRole(AriaRole.Radio, new() { Name = "ワンタイムパスワードのご利用をおすすめします" })).ToBeCheckedAsync();
        await Expect(show).ToBeEnabledAsync();
        await show.ClickAsync();

        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("申請はメニュー画面から行えます。");
        await BrowserPortal.ScreenshotAsync(page, "notice-dialog");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "閉じる" }).ClickAsync();
        await Expect(dialog).ToHaveCountAsync(0);

        await page.GetByRole(AriaRole.Button, new() { Name = "全タイトル表示" }).ClickAsync();
        await Expect(page.GetByText("過去のお知らせ：ペイジーの取扱い開始")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "掲載中のお知らせのみ表示" }).ClickAsync();
        await Expect(page.GetByText("過去のお知らせ：ペイジーの取扱い開始")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
