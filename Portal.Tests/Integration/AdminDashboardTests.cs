using Microsoft.Extensions.DependencyInjection;
using Portal.Admin;
using Portal.Domain;
using Portal.Identity;
using Portal.Otp;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

public class AdminDashboardTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new();

    public ValueTask InitializeAsync() => _portal.InitializeAsync();
    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    [Fact]
    public async Task Counts_by_status_and_per_day_come_from_the_registrations_and_the_audit_trail()
    {
        var cancel = TestContext.Current.CancellationToken;
        var enrolled = await _portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        var applied = await _portal.CreateCustomerAsync();
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<OtpEnrollment>().IssueTokenAsync(applied.UserId,
                new IssueTokenInput("dash" + Guid.NewGuid().ToString("N")[..6] + "@docomo.ne.jp", "1234", "1234"), null, cancel);
        }
        var locked = await _portal.CreateCustomerAsync();
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var signIn = scope.ServiceProvider.GetRequiredService<PasswordSignIn>();
            for (var i = 0; i < 5; i++) await signIn.CheckAsync(locked.LoginId, "Wrong-pass-1", null, cancel);
            await signIn.CheckOtpAsync(new PendingOtpSignIn(enrolled.Customer.UserId, DateTimeOffset.UtcNow.AddMinutes(5)), "000000", null, cancel);
        }

        DashboardData data;
        await using (var scope = _portal.Services.CreateAsyncScope())
            data = await scope.ServiceProvider.GetRequiredService<AdminDashboard>().GetAsync(30, cancel);

        Assert.Equal((1, 1, 1), (data.Unregistered, data.Applied, data.InUse)); // one customer in each status
        Assert.Equal(30, data.Days.Count);
        var today = data.Days[^1];
        Assert.Equal(JapanTime.Today(TimeProvider.System), today.Day);
        Assert.Equal(1, today.StartsOfUse);
        Assert.True(today.OtpFailures >= 1);
        Assert.Equal(1, today.Lockouts);
        Assert.Empty(data.LatestReplays);
    }

    [Fact]
    public async Task Adoption_counts_every_start_of_use_to_date_including_those_before_the_chart()
    {
        var cancel = TestContext.Current.CancellationToken;
        var now = DateTimeOffset.UtcNow;
        var customer = await _portal.CreateCustomerAsync();
        await using (var db = _portal.Database.CreateContext())
        {
            foreach (var daysAgo in new[] { 40, 10, 10 })
                db.AuditEntries.Add(Portal.Domain.Auditing.AuditEntry.Record(now.AddDays(-daysAgo), customer.UserId,
                    Portal.Domain.Auditing.AuditActors.Customer, Portal.Domain.Auditing.AuditEvents.StartOfUse,
                    Portal.Domain.Auditing.AuditEvents.Succeeded, null));
            await db.SaveChangesAsync(cancel);
        }

        DashboardData data;
        await using (var scope = _portal.Services.CreateAsyncScope())
            data = await scope.ServiceProvider.GetRequiredService<AdminDashboard>().GetAsync(30, cancel);

        var tenDaysAgo = JapanTime.Today(TimeProvider.System).AddDays(-10);
        Assert.Equal(1, data.Days[0].StartsToDate); // the one 40 days ago
        Assert.Equal(3, data.Days.Single(d => d.Day == tenDaysAgo).StartsToDate);
        Assert.Equal(2, data.Days.Single(d => d.Day == tenDaysAgo).StartsOfUse);
        Assert.Equal(3, data.Days[^1].StartsToDate);
    }

    [Fact]
    public async Task Wrong_codes_at_cancel_of_use_count_as_otp_failures_like_those_at_sign_in()
    {
        var cancel = TestContext.Current.CancellationToken;
        var enrolled = await _portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var wrong = TokenHelpers.CodeAt(enrolled.Token, DateTimeOffset.UtcNow.AddMinutes(5));
            await scope.ServiceProvider.GetRequiredService<OtpEnrollment>().CancelUseAsync(enrolled.Customer.UserId, wrong, null, null, cancel);
        }

        DashboardData data;
        await using (var scope = _portal.Services.CreateAsyncScope())
            data = await scope.ServiceProvider.GetRequiredService<AdminDashboard>().GetAsync(30, cancel);
        Assert.Equal(1, data.Days[^1].OtpFailures);
    }
}
