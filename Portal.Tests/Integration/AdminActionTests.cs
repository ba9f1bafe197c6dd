using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Admin;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Otp;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>Each admin action's effects — state, sessions, mail, audit — and its refusals, on PostgreSQL + MailDev.</summary>
public class AdminActionTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<AdminActor> AdminAsync()
    {
        var admin = await portal.CreateCustomerAsync("管理 次郎");
        await portal.MakeAdminAsync(admin.UserId);
        return new AdminActor(admin.UserId, admin.LoginId, "10.1.2.3");
    }

    private async Task<T> WithAsync<T, TService>(Func<TService, Task<T>> use) where TService : notnull
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private async Task LockAsync(TestCustomer customer)
    {
        for (var i = 0; i < 5; i++)
            await WithAsync<PasswordCheckResult, PasswordSignIn>(s => s.CheckAsync(customer.LoginId, "Wrong-pass-1", null, Cancel));
        Assert.NotNull((await portal.FindUserAsync(customer.UserId)).LockoutEnd);
    }

    [Fact]
    public async Task Unlock_lifts_the_lock_once_is_audited_with_the_admin_and_reason_and_mailed()
    {
        var admin = await AdminAsync();
        var enrolled = await portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        await LockAsync(enrolled.Customer);

        var outcome = await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.UnlockAsync(admin, enrolled.Customer.UserId, AdminReasonCode.CustomerRequest, "電話で本人確認済み", Cancel));
        Assert.Equal(AdminActionOutcome.Done, outcome);
        var user = await portal.FindUserAsync(enrolled.Customer.UserId);
        Assert.True(user.LockoutEnd is null || user.LockoutEnd <= DateTimeOffset.UtcNow);
        Assert.Equal(0, user.AccessFailedCount);

        // A second admin acting on what they saw a moment ago changes nothing twice.
        Assert.Equal(AdminActionOutcome.StateChanged, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.UnlockAsync(admin, enrolled.Customer.UserId, AdminReasonCode.CustomerRequest, null, Cancel)));

        await using var db = portal.Database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.UserId == enrolled.Customer.UserId && a.Event == AdminOtpActions.UnlockEvent, Cancel);
        Assert.Equal(admin.LoginId, entry.Actor);
        Assert.Equal("お客様からのお申し出: 電話で本人確認済み", entry.Detail);
        Assert.Equal("10.1.2.3", entry.SourceAddress);
        await MailDev.WaitForMailAsync(enrolled.Customer.Email, m => m.Subject.Contains("ロックを解除"));
    }

    [Fact]
    public async Task Forced_cancel_returns_to_unregistered_destroys_the_secret_ends_sessions_and_mails()
    {
        var admin = await AdminAsync();
        var enrolled = await portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        var customerId = enrolled.Customer.UserId;
        var session = await WithAsync<PortalSession, PortalSessions>(s => s.StartAsync(customerId, null, "phone", Cancel));
        int version;
        await using (var db = portal.Database.CreateContext())
            version = (await db.OtpRegistrations.SingleAsync(r => r.UserId == customerId, Cancel)).Version;

        Assert.Equal(AdminActionOutcome.Done, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.ForceCancelAsync(admin, customerId, version, AdminReasonCode.LostPhone, null, Cancel)));

        Assert.Equal(RegistrationStatus.Unregistered,
            (await WithAsync<OtpOverview, OtpEnrollment>(e => e.GetOverviewAsync(customerId, Cancel))).Status);
        Assert.Null(await WithAsync<PortalSession?, PortalSessions>(s => s.FindLiveAsync(session.Id, customerId, Cancel)));
        Assert.False((await portal.FindUserAsync(customerId)).TwoFactorEnabled);
        await using (var db = portal.Database.CreateContext())
        {
            Assert.Null((await db.TokenIssues.SingleAsync(i => i.UserId == customerId, Cancel)).ProtectedSecret);
            var entry = await db.AuditEntries.SingleAsync(a => a.UserId == customerId && a.Event == AdminOtpActions.ForceCancelEvent, Cancel);
            Assert.Equal(admin.LoginId, entry.Actor);
            Assert.Equal("携帯電話の紛失", entry.Detail);
        }
        await MailDev.WaitForMailAsync(enrolled.Customer.Email, m => m.Subject.Contains("利用を解除しました"));

        // The same click by a second admin, on the state both had seen, is refused.
        Assert.Equal(AdminActionOutcome.StateChanged, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.ForceCancelAsync(admin, customerId, version, AdminReasonCode.LostPhone, null, Cancel)));
    }

    [Fact]
    public async Task Resend_mails_a_new_download_url_once_voids_the_old_one_and_is_audited_with_the_admin()
    {
        var admin = await AdminAsync();
        var customer = await portal.CreateCustomerAsync();
        var mobile = $"r{Guid.NewGuid():N}"[..12] + "@docomo.ne.jp";
        await WithAsync<IssueTokenResult, OtpEnrollment>(e =>
            e.IssueTokenAsync(customer.UserId, new IssueTokenInput(mobile, "1234", "1234"), null, Cancel));
        var (_, oldCode, _, _) = TokenHelpers.ReadIssueMail((await MailDev.WaitForMailAsync(mobile)).Text);
        var seen = await WithAsync<CustomerOtpDetail?, AdminOtpQueries>(q => q.GetDetailAsync(customer.UserId, Cancel));
        Assert.True(seen!.CanResendDownloadMail);

        Assert.Equal(AdminActionOutcome.Done, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.ResendDownloadMailAsync(admin, customer.UserId, seen.IssueVersion!.Value, AdminReasonCode.CustomerRequest,
                "メールが届かないとのお電話", Cancel)));

        var resent = await MailDev.WaitForMailAsync(mobile, m => !m.Text.Contains(oldCode));
        var (_, newCode, _, _) = TokenHelpers.ReadIssueMail(resent.Text);
        using var client = portal.CreateClient();
        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await client.GetAsync($"/api/token/download?code={oldCode}", Cancel)).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync($"/api/token/download?code={newCode}", Cancel)).StatusCode);

        // A second admin, on the issue both had seen: refused, and no third mail.
        Assert.Equal(AdminActionOutcome.StateChanged, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.ResendDownloadMailAsync(admin, customer.UserId, seen.IssueVersion!.Value, AdminReasonCode.CustomerRequest,
                null, Cancel)));
        Assert.Equal(2, (await MailDev.AllToAsync(mobile)).Count);
        await using var db = portal.Database.CreateContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.UserId == customer.UserId && a.Event == AdminOtpActions.ResendEvent, Cancel);
        Assert.Equal(admin.LoginId, entry.Actor);
        Assert.Equal("お客様からのお申し出: メールが届かないとのお電話", entry.Detail);
    }

    [Fact]
    public async Task Resend_is_refused_for_a_customer_in_use_or_without_a_reason()
    {
        var admin = await AdminAsync();
        var enrolled = await portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        var detail = await WithAsync<CustomerOtpDetail?, AdminOtpQueries>(q => q.GetDetailAsync(enrolled.Customer.UserId, Cancel));
        Assert.False(detail!.CanResendDownloadMail);

        Assert.Equal(AdminActionOutcome.StateChanged, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.ResendDownloadMailAsync(admin, enrolled.Customer.UserId, detail.IssueVersion!.Value, AdminReasonCode.CustomerRequest,
                null, Cancel)));
        Assert.Equal(AdminActionOutcome.ReasonInvalid, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.ResendDownloadMailAsync(admin, enrolled.Customer.UserId, detail.IssueVersion!.Value, null, null, Cancel)));
        Assert.Equal(AdminActionOutcome.OwnAccount, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.ResendDownloadMailAsync(admin, admin.UserId, 0, AdminReasonCode.CustomerRequest, null, Cancel)));
        Assert.Equal(AdminActionOutcome.NoSuchCustomer, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.ResendDownloadMailAsync(admin, "nobody", 0, AdminReasonCode.CustomerRequest, null, Cancel)));
        await using var db = portal.Database.CreateContext();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.UserId == enrolled.Customer.UserId && a.Event == AdminOtpActions.ResendEvent, Cancel));
    }

    [Fact]
    public async Task Missing_reasons_own_accounts_and_unknown_customers_are_refused_and_change_nothing()
    {
        var admin = await AdminAsync();
        var customer = await portal.CreateCustomerAsync();
        await LockAsync(customer);

        Assert.Equal(AdminActionOutcome.ReasonInvalid, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.UnlockAsync(admin, customer.UserId, null, null, Cancel)));
        Assert.Equal(AdminActionOutcome.ReasonInvalid, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.UnlockAsync(admin, customer.UserId, AdminReasonCode.Other, "  ", Cancel)));
        Assert.Equal(AdminActionOutcome.ReasonInvalid, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.UnlockAsync(admin, customer.UserId, AdminReasonCode.Other, new string('x', 201), Cancel)));
        Assert.Equal(AdminActionOutcome.OwnAccount, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.UnlockAsync(admin, admin.UserId, AdminReasonCode.CustomerRequest, null, Cancel)));
        Assert.Equal(AdminActionOutcome.NoSuchCustomer, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.UnlockAsync(admin, Guid.NewGuid().ToString(), AdminReasonCode.CustomerRequest, null, Cancel)));
        Assert.Equal(AdminActionOutcome.NoSuchCustomer, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.ForceCancelAsync(admin, "' OR 1=1 --", 1, AdminReasonCode.LostPhone, null, Cancel)));
        Assert.Equal(AdminActionOutcome.StateChanged, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.ForceCancelAsync(admin, customer.UserId, 0, AdminReasonCode.LostPhone, null, Cancel)));

        Assert.NotNull((await portal.FindUserAsync(customer.UserId)).LockoutEnd);
        await using var db = portal.Database.CreateContext();
        Assert.False(await db.AuditEntries.AnyAsync(a => a.UserId == customer.UserId && a.Event.StartsWith("admin-"), Cancel));
    }
}
