using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Portal.Banking;
using Portal.Components.Pages.Banking;
using Portal.Domain;
using Portal.Identity;
using Portal.Tests.Support;
using static Portal.Tests.Support.Bookings;

namespace Portal.Tests.Components;

/// <summary>【代表口座の入出金】 on the real statement queries and PostgreSQL, for a signed-in customer.</summary>
public class AccountStatementPageTests : BunitContext, IClassFixture<PortalFactory>
{
    private readonly PortalFactory _portal;
    private readonly TestCustomer _customer;
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15); // two shared cores

    public AccountStatementPageTests(PortalFactory portal)
    {
        _portal = portal;
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(portal.Services.GetRequiredService<AccountStatements>());
        Services.AddSingleton(portal.Services.GetRequiredService<PortalSessions>());
        Services.AddSingleton(TimeProvider.System);
        Services.AddScoped<CurrentCustomer>();
        _customer = portal.CreateCustomerAsync().GetAwaiter().GetResult();
        var auth = AddAuthorization();
        auth.SetAuthorized(_customer.LoginId);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, _customer.UserId));
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private IRenderedComponent<AccountStatementPage> Open(string query = "")
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/banking/account" + query);
        Render<MudPopoverProvider>();
        return Render<AccountStatementPage>();
    }

    private static IReadOnlyList<string> Descriptions(IRenderedComponent<AccountStatementPage> page) =>
        [.. page.FindAll("td.description").Select(td => td.TextContent.Trim())];

    [Fact]
    public async Task The_account_panel_shows_the_balance_and_the_statement_this_months_entries_with_totals()
    {
        await _portal.CreateAccountAsync(_customer.UserId,
        [
            At(Today.AddMonths(-3), 9, "給与　三か月前", 300_000),
            At(Today.AddDays(-5), 9, "給与　キタシン商事", 250_000),
            At(Today.AddDays(-4), 10, "口座振替　電気料金", -8_123),
        ]);
        var page = Open();

        page.WaitForAssertion(() => Assert.Equal(["口座振替　電気料金", "給与　キタシン商事"], Descriptions(page)), Wait);
        Assert.Equal("541,877円", page.Find("[data-testid=balance]").TextContent.Trim());
        Assert.Matches("^[0-9]{7}$", page.Find("[data-testid=account-number]").TextContent.Trim());
        Assert.Contains("普通", page.Markup);
        Assert.Contains("シケン タロウ", page.Markup);
        Assert.Contains("現在", page.Find(".balance-as-of").TextContent);
        Assert.Equal("8,123円", page.Find("[data-testid=total-paid]").TextContent.Trim());
        Assert.Equal("250,000円", page.Find("[data-testid=total-received]").TextContent.Trim());
        Assert.Contains("2件", page.Find("[data-testid=statement-totals]").TextContent);
        Assert.DoesNotContain("三か月前", page.Markup);
        foreach (var column in new[] { "日付", "摘要", "お支払金額", "お預り金額", "差引残高" })
            Assert.Contains(page.FindAll("th"), th => th.TextContent.Trim() == column);
        Assert.Equal("/banking/account/statement.csv?period=month", page.Find("a[download]").GetAttribute("href"));
    }

    [Fact]
    public async Task An_empty_period_says_so()
    {
        await _portal.CreateAccountAsync(_customer.UserId, [At(Today.AddMonths(-2), 9, "給与", 10_000)]);
        var page = Open("?period=today");
        page.WaitForAssertion(() => Assert.Equal("この期間の入出金はありません。", page.Find("[data-testid=statement-empty]").TextContent.Trim()), Wait);
        Assert.Contains("0件", page.Find("[data-testid=statement-totals]").TextContent);
        Assert.Empty(page.FindAll("td.description"));
    }

    [Fact]
    public async Task A_custom_period_that_ends_before_it_starts_gets_a_message_at_the_end_date_and_no_statement()
    {
        await _portal.CreateAccountAsync(_customer.UserId, [At(Today, 9, "給与", 10_000)]);
        var from = Today.AddDays(-1).ToString("yyyy-MM-dd");
        var to = Today.AddDays(-2).ToString("yyyy-MM-dd");
        var page = Open($"?period=custom&from={from}&to={to}");

        page.WaitForAssertion(() => Assert.Contains("終了日は開始日と同じか、それ以降の日付を入力してください。", page.Markup), Wait);
        var endField = page.FindComponents<MudTextField<string>>().Single(f => f.Instance.Label == "終了日");
        Assert.Contains("終了日は開始日と同じか", endField.Markup); // next to the field it is about
        Assert.Empty(page.FindAll("[data-testid=statement-totals]"));
        Assert.Empty(page.FindAll("a[download]"));
    }

    [Theory]
    [InlineData("?period=custom&from=1999-01-01&to=1999-01-31", "13か月前まで照会できます")]
    [InlineData("?period=custom&from=%3Cscript%3E&to=", "開始日は日付（例：2026-01-31）で入力してください。")]
    [InlineData("?period=%27%3B+DROP+TABLE", "照会期間の指定が正しくありません。")]
    public async Task Malformed_query_parameters_get_a_clear_message(string query, string message)
    {
        await _portal.CreateAccountAsync(_customer.UserId, [At(Today, 9, "給与", 10_000)]);
        var page = Open(query);
        page.WaitForAssertion(() => Assert.Contains(message, page.Markup), Wait);
        Assert.Empty(page.FindAll("td.description"));
        Assert.Equal("10,000円", page.Find("[data-testid=balance]").TextContent.Trim());
    }

    [Fact]
    public async Task Choosing_a_period_puts_only_the_period_in_the_url()
    {
        await _portal.CreateAccountAsync(_customer.UserId, [At(Today, 9, "給与", 10_000)]);
        var page = Open();
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("td.description")), Wait);
        // 今日, 1週間, 1か月, 期間指定: the second radio is 1週間.
        var week = page.FindComponents<MudRadio<Portal.Domain.Banking.PeriodKind>>()[1];
        Assert.Contains("1週間", week.Markup);
        week.Find("input[type=radio]").Click();
        // The radio group hands the choice on asynchronously: on a busy machine the navigation lands a moment later.
        page.WaitForAssertion(() => Assert.EndsWith("/banking/account?period=week", Services.GetRequiredService<NavigationManager>().Uri), Wait);
    }

    [Fact]
    public void A_customer_without_an_account_is_told_so()
    {
        var page = Open();
        page.WaitForAssertion(() => Assert.Contains("代表口座が登録されていません。", page.Find("[data-testid=no-account]").TextContent), Wait);
    }
}
