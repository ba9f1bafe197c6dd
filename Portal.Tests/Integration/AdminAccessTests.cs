using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Portal.Admin;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

public class AdminAccessTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<TestCustomer> CreateAdminAsync()
    {
        var admin = await portal.CreateCustomerAsync("管理 花子");
        await portal.MakeAdminAsync(admin.UserId);
        return admin;
    }

    [Fact]
    public async Task A_customer_who_opens_an_admin_url_gets_403_not_a_page()
    {
        var customer = await portal.CreateCustomerAsync();
        using var client = await HttpSignIn.SignedInClientAsync(portal, customer.UserId, SignInFactors.PasswordAndOtp);
        var response = await client.GetAsync("/admin/otp", Cancel);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel));
        Assert.DoesNotContain("ワンタイムパスワード登録状況一覧", html);
        Assert.Contains("このページは表示できません", html);
    }

    [Fact]
    public async Task An_admin_signed_in_without_otp_is_sent_to_enroll()
    {
        var admin = await CreateAdminAsync();
        using var client = await HttpSignIn.SignedInClientAsync(portal, admin.UserId, SignInFactors.Password);
        var response = await client.GetAsync("/admin/otp", Cancel);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/otp?enroll=admin", response.Headers.Location?.AbsolutePath + response.Headers.Location?.Query);
    }

    [Fact]
    public async Task An_admin_signed_in_with_otp_sees_the_list()
    {
        var admin = await CreateAdminAsync();
        using var client = await HttpSignIn.SignedInClientAsync(portal, admin.UserId, SignInFactors.PasswordAndOtp);
        var response = await client.GetAsync("/admin/otp", Cancel);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("ワンタイムパスワード登録状況一覧", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync(Cancel)));
    }
}

public class AdminOtpQueryTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<(IReadOnlyList<CustomerOtpRow> Rows, int Total)> ListAsync(CustomerOtpQuery query)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AdminOtpQueries>().ListAsync(query, Cancel);
    }

    [Fact]
    public async Task Filters_search_sort_and_pages_in_the_database()
    {
        var marker = "検索" + Guid.NewGuid().ToString("N")[..6];
        var plain = await portal.CreateCustomerAsync(marker + " 一郎");
        var enrolled = await portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        for (var i = 0; i < 3; i++) await portal.CreateCustomerAsync($"{marker} 従業員{i}");

        var byName = await ListAsync(new CustomerOtpQuery(Search: marker));
        Assert.Equal(4, byName.Total);
        Assert.All(byName.Rows, r => Assert.StartsWith(marker, r.Name));

        var byLoginId = await ListAsync(new CustomerOtpQuery(Search: plain.LoginId.ToUpperInvariant()));
        Assert.Equal(plain.UserId, Assert.Single(byLoginId.Rows).UserId);

        var inUse = await ListAsync(new CustomerOtpQuery(Search: enrolled.Customer.LoginId, Status: RegistrationStatus.InUse));
        var row = Assert.Single(inUse.Rows);
        Assert.Equal(RegistrationStatus.InUse, row.Status);
        Assert.NotNull(row.IssuedAt);
        Assert.NotNull(row.StartedAt);
        Assert.Empty((await ListAsync(new CustomerOtpQuery(Search: plain.LoginId, Status: RegistrationStatus.InUse))).Rows);

        var page0 = await ListAsync(new CustomerOtpQuery(Search: marker, SortBy: CustomerOtpSort.Name, Descending: true, PageSize: 3));
        var page1 = await ListAsync(new CustomerOtpQuery(Search: marker, SortBy: CustomerOtpSort.Name, Descending: true, Page: 1, PageSize: 3));
        Assert.Equal(4, page0.Total);
        Assert.Equal(3, page0.Rows.Count);
        Assert.Single(page1.Rows);
        var names = page0.Rows.Concat(page1.Rows).Select(r => r.Name).ToList();
        Assert.Equal(names.OrderByDescending(n => n, StringComparer.Ordinal).ToList(), names);
    }

    [Fact]
    public async Task The_status_filter_counts_a_lapsed_application_as_unregistered()
    {
        var marker = "状況" + Guid.NewGuid().ToString("N")[..6];
        var now = DateTimeOffset.UtcNow;
        var plain = await portal.CreateCustomerAsync(marker + " 未登録");
        var applied = await WithIssueAsync(marker + " 申請済", issuedAt: now.AddDays(-1), startUse: false);
        var lapsed = await WithIssueAsync(marker + " 失効", issuedAt: now.AddDays(-8), startUse: false);
        var inUse = await WithIssueAsync(marker + " 利用中", issuedAt: now.AddDays(-8), startUse: true);

        async Task<string[]> Filtered(RegistrationStatus status) =>
            [.. (await ListAsync(new CustomerOtpQuery(Search: marker, Status: status))).Rows.Select(r => r.UserId).Order()];

        Assert.Equal(new[] { plain.UserId, lapsed }.Order(), await Filtered(RegistrationStatus.Unregistered));
        Assert.Equal([applied], await Filtered(RegistrationStatus.Applied));
        Assert.Equal([inUse], await Filtered(RegistrationStatus.InUse));
        var all = (await ListAsync(new CustomerOtpQuery(Search: marker))).Rows.ToDictionary(r => r.UserId, r => r.Status);
        Assert.Equal(RegistrationStatus.Unregistered, all[lapsed]); // shown as it is filtered
    }

    /// <summary>A customer with a token issued at <paramref name="issuedAt"/>, written straight to the database.</summary>
    private async Task<string> WithIssueAsync(string name, DateTimeOffset issuedAt, bool startUse)
    {
        var customer = await portal.CreateCustomerAsync(name);
        await using var scope = portal.Services.CreateAsyncScope();
        await using var db = await scope.ServiceProvider
            .GetRequiredService<Microsoft.EntityFrameworkCore.IDbContextFactory<Portal.Data.PortalDbContext>>().CreateDbContextAsync(Cancel);
        var issue = TokenIssue.Create(customer.UserId, "KITASHIN", $"s{Guid.NewGuid():N}"[..12] + "@docomo.ne.jp", "hash",
            Guid.NewGuid().ToString("N"), issuedAt, TokenIssue.DefaultLifetime);
        var registration = OtpRegistration.For(customer.UserId, issuedAt);
        registration.Issue(issue.Id, issuedAt);
        if (startUse)
        {
            issue.Activate(true, issuedAt.AddMinutes(5), "test", null, "protected");
            registration.StartUse(issuedAt.AddMinutes(10));
        }
        db.TokenIssues.Add(issue);
        db.OtpRegistrations.Add(registration);
        await db.SaveChangesAsync(Cancel);
        return customer.UserId;
    }

    [Theory]
    [InlineData("' OR 1=1 --")]
    [InlineData("<script>")]
    [InlineData("%")]
    public async Task Hostile_searches_match_nothing_and_fail_nothing(string search) =>
        Assert.Equal(0, (await ListAsync(new CustomerOtpQuery(Search: search + Guid.NewGuid()))).Total);

    [Fact]
    public async Task Absurd_paging_is_clamped()
    {
        var (rows, _) = await ListAsync(new CustomerOtpQuery(Page: -5, PageSize: 100_000));
        Assert.True(rows.Count <= AdminOtpQueries.MaxPageSize);
    }
}
