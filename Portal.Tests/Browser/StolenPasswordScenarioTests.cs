using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Portal.Admin;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Tests.Support;
using static Microsoft.Playwright.Assertions;
using static Portal.Tests.Support.Bookings;

namespace Portal.Tests.Browser;

/// <summary>
/// SPEC scenario 10 in Chromium: a 未登録 customer taken over with the password alone. The thief issues a token to their
/// own address, sets it up and starts use; the registered address hears of each step, each time with 緊急利用停止. The
/// thief's session cannot pay until it signs in again with the code, and then no more than 50,000円 a day. The
/// customer's 緊急利用停止 ends the thief's open session and refuses the next sign-in; staff lift it.
/// </summary>
public static class StolenPasswordScenario
{
    public static async Task RunAsync(BrowserPortal browser)
    {
        var customer = await browser.Portal.CreateCustomerAsync("北 新太郎");
        await browser.Portal.CreateAccountAsync(customer.UserId, [At(Portal.Domain.JapanTime.Today(TimeProvider.System).AddDays(-2), 9, "給与", 300_000)],
            "キタ シンタロウ");
        var bill = await browser.Portal.CreateBillAsync(60_000);
        var thiefMobile = $"thief{Guid.NewGuid():N}"[..14] + "@example.net";

        // The thief, with the password alone: トークン発行 to their own address, the token app, 利用開始.
        var thief = await browser.NewPageAsync();
        await BrowserPortal.SignInAsync(thief, customer);
        var (url, serviceId, userId) = await OtpSteps.IssueTokenAsync(thief, thiefMobile, "2580", shots: null);
        var issuedNotice = await NoticeAsync(customer, "トークン発行");
        Assert.DoesNotContain(thiefMobile, issuedNotice.Text); // masked: th***@example.net
        Assert.Contains("th***@example.net", issuedNotice.Text);
        var phone = await browser.NewPageAsync(BrowserPortal.Phone);
        var startCode = await OtpSteps.SetUpTokenAppAsync(phone, url, serviceId, userId, "2580", shots: null);
        await NoticeAsync(customer, "初期設定");
        await OtpSteps.StartUseAsync(thief, startCode, shots: null);
        var startedNotice = await NoticeAsync(customer, "利用開始");

        // The password-only session cannot pay.
        await thief.GotoAsync("/payeasy");
        await Expect(thief.GetByTestId("payeasy-blocked")).ToContainTextAsync("ワンタイムパスワードでログインし直してください");
        await Expect(thief.GetByLabel("収納機関番号")).ToHaveCountAsync(0);

        // Signed in again with the code, the new token pays no more than 50,000円 a day, and the screen says until when.
        await BrowserPortal.WaitForInteractiveAsync(thief);
        await thief.GetByRole(AriaRole.Button, new() { Name = "ワンタイムパスワードでログインし直す" }).ClickAsync();
        await OtpSteps.SignInWithPasswordAsync(thief, customer);
        await OtpSteps.EnterCodeAsync(thief, await OtpSteps.FreshCodeAsync(phone, [startCode]));
        await thief.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/payeasy");
        await PayEasyScenarioTests.ConfirmAsync(thief, "58021", bill.CustomerNumber, "1234", expectConfirmation: false);
        var refusal = thief.GetByTestId("payeasy-refusal");
        await Expect(refusal).ToContainTextAsync("50,000円");
        await Expect(refusal).ToContainTextAsync("まで");
        await BrowserPortal.ScreenshotAsync(thief, "new-token-limit");

        // The customer reads the notice and presses 緊急利用停止.
        var owner = await browser.NewPageAsync();
        // The link is under the configured base, whatever host the thief's browser used.
        var stopLink = System.Text.RegularExpressions.Regex.Match(startedNotice.Text, @"\S+/stop\?token=[A-Za-z0-9_-]{43}").Value;
        Assert.StartsWith(browser.BaseAddress.ToString(), stopLink);
        await owner.GotoAsync(stopLink);
        var stopButton = owner.GetByRole(AriaRole.Button, new() { Name = "利用停止", Exact = true });
        await Expect(stopButton).ToBeEnabledAsync();
        await stopButton.ClickAsync();
        await Expect(owner.GetByTestId("stop-done")).ToBeVisibleAsync();
        await NoticeAsync(customer, "利用停止のお知らせ");

        // Within a minute (the circuits' minutely check, run now) the thief's open session ends, and the next sign-in
        // is refused with the help desk's number.
        await browser.Portal.Services.GetRequiredService<CircuitSignIns>().CheckAsync();
        await thief.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/login");
        await BrowserPortal.FillLoginAsync(thief, customer.LoginId, customer.Password);
        await Expect(thief.GetByText("インターネットバンキングのご利用は停止されています。")).ToBeVisibleAsync();
        Assert.Equal("/login", new Uri(thief.Url).AbsolutePath);

        // Staff lift the stop with a reason, after checking the customer's identity: the password step works again
        // (and, the thief's token being 利用中, asks for its code; staff would force-cancel it too).
        var staff = await browser.Portal.CreateCustomerAsync("本店 管理者");
        var stops = browser.Portal.Services.GetRequiredService<ServiceStops>();
        var stop = (await stops.FindAsync(customer.UserId))!;
        Assert.Equal(AdminActionOutcome.Done, await stops.LiftAsync(new AdminActor(staff.UserId, staff.LoginId, "10.0.0.1"), customer.UserId,
            stop.StoppedAt, AdminReasonCode.CustomerRequest, null));
        await OtpSteps.SignInWithPasswordAsync(thief, customer);
    }

    private static Task<ReceivedMail> NoticeAsync(TestCustomer customer, string subjectPart) =>
        MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains(subjectPart) && m.Text.Contains("お心当たりのない場合は"));
}

[Collection(BrowserCollection.Name)]
public class StolenPasswordScenarioTests(BrowserPortal browser)
{
    [Fact]
    public Task Scenario_10_on_PostgreSQL_a_password_alone_moves_no_money_and_the_customers_stop_ends_the_thiefs_session() =>
        StolenPasswordScenario.RunAsync(browser);
}

/// <summary>The same portal and browser on the embedded default, SQLite, on a file of its own.</summary>
public sealed class SqliteBrowserPortal : BrowserPortal
{
    public SqliteBrowserPortal()
    {
        With("Database:Provider", "Sqlite");
        With("ConnectionStrings:Portal", $"Data Source={Path.Combine(Path.GetTempPath(), $"kitashin-browser-{Guid.NewGuid():N}.db")}");
    }
}

// In the browser collection so that it runs alone like the other browser tests, with a portal of its own.
[Collection(BrowserCollection.Name)]
public class StolenPasswordSqliteScenarioTests(SqliteBrowserPortal browser) : IClassFixture<SqliteBrowserPortal>
{
    [Fact]
    public Task Scenario_10_on_the_embedded_default() => StolenPasswordScenario.RunAsync(browser);
}
