using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Otp;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>
/// The download mail and its code (SPEC section 7): activation needs the code of the latest mail, and the mailer sends
/// at most 3 download mails per customer an hour. Real PostgreSQL, real SMTP (MailDev).
/// </summary>
public class DownloadMailTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private const string WrongTries = "サービスID、ユーザID、または利用開始パスワードが正しくありません。";
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<T> WithAsync<T>(Func<OtpEnrollment, Task<T>> use)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<OtpEnrollment>());
    }

    private static string NewMobile() => $"d{Guid.NewGuid():N}"[..12] + "@docomo.ne.jp";

    private async Task<(TestCustomer Customer, string Mobile, (string Url, string Code, string ServiceId, string UserId) Mail)> IssueAsync()
    {
        var customer = await portal.CreateCustomerAsync();
        var mobile = NewMobile();
        Assert.True((await WithAsync(e => e.IssueTokenAsync(customer.UserId, new IssueTokenInput(mobile, "1234", "1234"), null, Cancel))).MailSent);
        return (customer, mobile, TokenHelpers.ReadIssueMail((await MailDev.WaitForMailAsync(mobile)).Text));
    }

    private async Task<string?> MessageAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ErrorBody>(Cancel))?.Message;

    [Fact]
    public async Task Activation_without_the_code_with_a_wrong_one_or_a_resent_mails_predecessor_is_refused_alike_and_counted()
    {
        var (customer, mobile, first) = await IssueAsync();
        Assert.Equal(DownloadMailResend.Sent, await WithAsync(e => e.ResendDownloadMailAsync(customer.UserId, null, Cancel)));
        var second = TokenHelpers.ReadIssueMail((await MailDev.WaitForMailAsync(mobile, m => !m.Text.Contains(first.Code))).Text);
        using var client = portal.CreateClient();

        // The re-sent mail voids the old code for the link check and for the activation alike.
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/token/download?code={first.Code}", Cancel)).StatusCode);
        var tampered = second.Code[..^1] + (second.Code[^1] == 'A' ? 'B' : 'A');
        foreach (var code in new[] { null, "", tampered, first.Code })
        {
            var refused = await TokenHelpers.ActivateAsync(client, second.ServiceId, second.UserId, "1234", code);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal(WrongTries, await MessageAsync(refused));
        }
        await using (var db = portal.Database.CreateContext())
        {
            var issue = await db.TokenIssues.SingleAsync(i => i.UserId == customer.UserId && i.VoidedAt == null, Cancel);
            Assert.Equal(4, issue.FailedActivations);
            Assert.Null(issue.ProtectedSecret);
        }
        // The fifth wrong try voids the issue: not even the right code sets it up now.
        Assert.Equal(HttpStatusCode.BadRequest, (await TokenHelpers.ActivateAsync(client, second.ServiceId, second.UserId, "1234", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TokenHelpers.ActivateAsync(client, second.ServiceId, second.UserId, "1234", second.Code)).StatusCode);
        Assert.Equal(RegistrationStatus.Unregistered, (await WithAsync(e => e.GetOverviewAsync(customer.UserId, Cancel))).Status);
    }

    [Fact]
    public async Task The_latest_mails_code_sets_the_token_up()
    {
        var (customer, mobile, first) = await IssueAsync();
        Assert.Equal(DownloadMailResend.Sent, await WithAsync(e => e.ResendDownloadMailAsync(customer.UserId, null, Cancel)));
        var second = TokenHelpers.ReadIssueMail((await MailDev.WaitForMailAsync(mobile, m => !m.Text.Contains(first.Code))).Text);
        using var client = portal.CreateClient();
        await TokenHelpers.ActivateOkAsync(client, second.ServiceId, second.UserId, "1234", second.Code);
    }

    [Fact]
    public async Task The_fourth_download_mail_in_an_hour_is_refused_with_a_message_and_nothing_is_sent_or_changed()
    {
        var (customer, mobile, first) = await IssueAsync();
        Assert.Equal(DownloadMailResend.Sent, await WithAsync(e => e.ResendDownloadMailAsync(customer.UserId, null, Cancel)));
        var other = NewMobile();
        Assert.True((await WithAsync(e => e.IssueTokenAsync(customer.UserId, new IssueTokenInput(other, "5678", "5678"), null, Cancel))).MailSent);
        var third = TokenHelpers.ReadIssueMail((await MailDev.WaitForMailAsync(other)).Text);

        // The fourth, a re-send or an issue to yet another address: refused, nothing sent, the third mail still works.
        Assert.Equal(DownloadMailResend.MailLimit, await WithAsync(e => e.ResendDownloadMailAsync(customer.UserId, null, Cancel)));
        var victim = NewMobile();
        var refused = await WithAsync(e => e.IssueTokenAsync(customer.UserId, new IssueTokenInput(victim, "9999", "9999"), null, Cancel));
        Assert.Equal((OtpRefusal.MailLimit, false), (refused.Refusal, refused.MailSent));
        await Task.Delay(1000, Cancel); // a mail would have reached MailDev by now
        Assert.Empty(await MailDev.AllToAsync(victim));
        Assert.Single(await MailDev.AllToAsync(other));
        Assert.Equal(2, (await MailDev.AllToAsync(mobile)).Count);
        using var client = portal.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/token/download?code={third.Code}", Cancel)).StatusCode);
        Assert.Equal("ダウンロードメールの送信は1時間に3回までです。メールは送信していません。しばらくたってから操作してください。お急ぎの場合はヘルプデスクへお問い合わせください。",
            Portal.Resources.Labels.DownloadMailLimit);
        await using var db = portal.Database.CreateContext();
        Assert.Equal(3, await db.AuditEntries.CountAsync(a => a.UserId == customer.UserId && a.Event == AuditEvents.MailSent, Cancel));
    }

    [Fact]
    public async Task A_burst_of_ten_issues_at_once_sends_at_most_three_mails()
    {
        var customer = await portal.CreateCustomerAsync();
        var mobiles = Enumerable.Range(0, 10).Select(_ => NewMobile()).ToList();
        // Each round at least one issue wins (the others meet a moved version); five rounds would send five without the limit.
        for (var round = 0; round < 5; round++)
            await Task.WhenAll(mobiles.Select(mobile => Task.Run(async () =>
            {
                // A loser may also read the registration mid-change (LoadAsync's "changed while it was read"): no mail either.
                try { await WithAsync(e => e.IssueTokenAsync(customer.UserId, new IssueTokenInput(mobile, "1234", "1234"), null, Cancel)); }
                catch (DbUpdateConcurrencyException) { }
            })));
        await Task.Delay(1000, Cancel);
        var sent = 0;
        foreach (var mobile in mobiles) sent += (await MailDev.AllToAsync(mobile)).Count;
        Assert.Equal(3, sent);
        await using var db = portal.Database.CreateContext();
        Assert.Equal(3, await db.AuditEntries.CountAsync(a => a.UserId == customer.UserId && a.Event == AuditEvents.TokenIssued, Cancel));
    }

    private sealed record ErrorBody(string Message);
}
