using Portal.Data;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Otp;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>Issue → real mail at MailDev → activation API → start of use, on PostgreSQL.</summary>
public class OtpEnrollmentTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<T> WithAsync<T>(Func<OtpEnrollment, Task<T>> use)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<OtpEnrollment>());
    }

    private static string NewMobile() => $"m{Guid.NewGuid():N}"[..12] + "@docomo.ne.jp";

    private async Task<(TestCustomer Customer, string Mobile, ReceivedMail Mail)> IssueAsync(string password = "1234")
    {
        var customer = await portal.CreateCustomerAsync();
        var mobile = NewMobile();
        var result = await WithAsync(e => e.IssueTokenAsync(customer.UserId, new IssueTokenInput(mobile, password, password), "203.0.113.5", Cancel));
        Assert.True(result.Succeeded);
        Assert.True(result.MailSent);
        return (customer, mobile, await MailDev.WaitForMailAsync(mobile));
    }

    [Fact]
    public async Task Issue_sends_a_mail_with_url_service_id_and_user_id_but_never_the_password()
    {
        var (customer, _, mail) = await IssueAsync(password: "98765432");
        var (url, _, serviceId, userId) = TokenHelpers.ReadIssueMail(mail.Text);

        Assert.StartsWith("http://portal.test/token/?code=", url);
        Assert.Equal("KITASHIN", serviceId);
        Assert.Contains("利用開始の期限", mail.Text);
        Assert.DoesNotContain("98765432", mail.Text);
        Assert.DoesNotContain("98765432", mail.Subject);

        await using var db = portal.Database.CreateContext();
        var issue = await db.TokenIssues.SingleAsync(i => i.UserId == customer.UserId, Cancel);
        Assert.Equal(userId, issue.TokenUserId);
        Assert.NotEqual(customer.LoginId, issue.TokenUserId);
        Assert.DoesNotContain("98765432", issue.ActivationPasswordHash);
        Assert.NotNull(issue.MailSentAt);
        Assert.Equal(RegistrationStatus.Applied, (await WithAsync(e => e.GetOverviewAsync(customer.UserId, Cancel))).Status);
        Assert.Contains(await db.AuditEntries.Where(a => a.UserId == customer.UserId).Select(a => a.Event).ToListAsync(Cancel),
            e => e == AuditEvents.TokenIssued);
    }

    [Theory]
    [InlineData("not-an-address", "1234", "1234")]
    [InlineData("", "1234", "1234")]
    [InlineData("abo@docomo.ne.jp", "１２３４", "１２３４")]
    [InlineData("abo@docomo.ne.jp", "12ab", "12ab")]
    [InlineData("abo@docomo.ne.jp", "1234", "4321")]
    [InlineData("abo@docomo.ne.jp", "123", "123")]
    public async Task Bad_input_changes_nothing(string mobile, string password, string confirmation)
    {
        var customer = await portal.CreateCustomerAsync();
        var result = await WithAsync(e => e.IssueTokenAsync(customer.UserId, new IssueTokenInput(mobile, password, confirmation), null, Cancel));
        Assert.False(result.Succeeded);
        await using var db = portal.Database.CreateContext();
        Assert.False(await db.TokenIssues.AnyAsync(i => i.UserId == customer.UserId, Cancel));
        Assert.False(await db.OtpRegistrations.AnyAsync(r => r.UserId == customer.UserId, Cancel));
    }

    [Fact]
    public async Task A_300_character_address_is_refused()
    {
        var customer = await portal.CreateCustomerAsync();
        var result = await WithAsync(e => e.IssueTokenAsync(customer.UserId,
            new IssueTokenInput(new string('a', 288) + "@docomo.ne.jp", "1234", "1234"), null, Cancel));
        Assert.Equal(MobileEmailError.TooLong, result.EmailError);
    }

    [Fact]
    public async Task Download_link_is_valid_until_activation_and_a_tampered_one_never()
    {
        var (_, _, mail) = await IssueAsync();
        var (_, code, serviceId, userId) = TokenHelpers.ReadIssueMail(mail.Text);
        using var client = portal.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/token/download?code={code}", Cancel)).StatusCode);
        var tampered = code[..^1] + (code[^1] == 'A' ? 'B' : 'A');
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/token/download?code={tampered}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/token/download?code=%3Cscript%3E", Cancel)).StatusCode);

        await TokenHelpers.ActivateOkAsync(client, serviceId, userId, "1234", code);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/token/download?code={code}", Cancel)).StatusCode);
    }

    [Fact]
    public async Task Activation_succeeds_once_and_keeps_the_secret_encrypted_at_rest()
    {
        var (customer, _, mail) = await IssueAsync();
        var (_, code, serviceId, userId) = TokenHelpers.ReadIssueMail(mail.Text);
        using var client = portal.CreateClient();

        var token = await TokenHelpers.ActivateOkAsync(client, serviceId, userId, "1234", code);
        Assert.Equal((6, 30, "SHA1"), (token.Digits, token.Period, token.Algorithm));
        Assert.Equal(20, OtpNet.Base32Encoding.ToBytes(token.Secret).Length);

        var second = await TokenHelpers.ActivateAsync(client, serviceId, userId, "1234", code);
        Assert.Equal(HttpStatusCode.BadRequest, second.StatusCode);

        await using var db = portal.Database.CreateContext();
        var issue = await db.TokenIssues.SingleAsync(i => i.UserId == customer.UserId, Cancel);
        var secretBytes = OtpNet.Base32Encoding.ToBytes(token.Secret);
        Assert.NotNull(issue.ProtectedSecret);
        Assert.DoesNotContain(token.Secret.TrimEnd('='), issue.ProtectedSecret);
        Assert.DoesNotContain(Convert.ToBase64String(secretBytes), issue.ProtectedSecret);
        Assert.NotNull(issue.ActivatedAt);
        Assert.True(await db.DataProtectionKeys.AnyAsync(Cancel), "Data Protection keys are kept in the database");
    }

    [Fact]
    public async Task Every_activation_failure_answers_the_same_message_and_five_void_the_issue()
    {
        var (customer, _, mail) = await IssueAsync();
        var (_, code, serviceId, userId) = TokenHelpers.ReadIssueMail(mail.Text);
        using var client = portal.CreateClient();

        var wrongId = await TokenHelpers.ActivateAsync(client, serviceId, "0000000000", "1234", code);
        var wrongService = await TokenHelpers.ActivateAsync(client, "OTHER", userId, "1234", code);
        var messages = new List<string?>
        {
            (await wrongId.Content.ReadFromJsonAsync<ErrorBody>(Cancel))?.Message,
            (await wrongService.Content.ReadFromJsonAsync<ErrorBody>(Cancel))?.Message,
        };
        for (var i = 0; i < 3; i++)
        {
            var wrong = await TokenHelpers.ActivateAsync(client, serviceId, userId, "9999", code);
            messages.Add((await wrong.Content.ReadFromJsonAsync<ErrorBody>(Cancel))?.Message);
        }
        Assert.Single(messages.Distinct());
        Assert.Equal("サービスID、ユーザID、または利用開始パスワードが正しくありません。", messages[0]);

        // Wrong service ID counted as the first failure; three wrong passwords make four; the fifth voids.
        Assert.Equal(HttpStatusCode.BadRequest, (await TokenHelpers.ActivateAsync(client, serviceId, userId, "9999", code)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TokenHelpers.ActivateAsync(client, serviceId, userId, "1234", code)).StatusCode);
        Assert.Equal(RegistrationStatus.Unregistered, (await WithAsync(e => e.GetOverviewAsync(customer.UserId, Cancel))).Status);
    }

    [Fact]
    public async Task Re_issue_voids_the_previous_issue()
    {
        var (customer, mobile, first) = await IssueAsync();
        var (_, oldCode, serviceId, oldUserId) = TokenHelpers.ReadIssueMail(first.Text);
        var again = await WithAsync(e => e.IssueTokenAsync(customer.UserId, new IssueTokenInput(mobile, "5678", "5678"), null, Cancel));
        Assert.True(again.Succeeded);

        using var client = portal.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/token/download?code={oldCode}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TokenHelpers.ActivateAsync(client, serviceId, oldUserId, "1234", oldCode)).StatusCode);

        await using var db = portal.Database.CreateContext();
        Assert.Equal(1, await db.TokenIssues.CountAsync(i => i.UserId == customer.UserId && i.VoidedAt == null, Cancel));
    }

    [Fact]
    public async Task Start_of_use_needs_a_current_code_from_the_set_up_token_and_each_code_works_once()
    {
        var (customer, mobile, mail) = await IssueAsync();
        var (_, downloadCode, serviceId, userId) = TokenHelpers.ReadIssueMail(mail.Text);

        var early = await WithAsync(e => e.StartUseAsync(customer.UserId, "123456", null, cancellationToken: Cancel));
        Assert.Equal(OtpRefusal.TokenNotActivated, early.Refusal);

        using var client = portal.CreateClient();
        var token = await TokenHelpers.ActivateOkAsync(client, serviceId, userId, "1234", downloadCode);

        Assert.Equal(CodeError.Malformed, (await WithAsync(e => e.StartUseAsync(customer.UserId, "12345", null, cancellationToken: Cancel))).CodeError);
        var wrong = TokenHelpers.CodeAt(token, DateTimeOffset.UtcNow.AddMinutes(5));
        Assert.Equal(CodeError.Wrong, (await WithAsync(e => e.StartUseAsync(customer.UserId, wrong, null, cancellationToken: Cancel))).CodeError);
        Assert.Equal(1, (await portal.FindUserAsync(customer.UserId)).AccessFailedCount);

        var code = TokenHelpers.CodeAt(token, DateTimeOffset.UtcNow);
        var fullWidth = string.Concat(code.Select(c => (char)('０' + (c - '0'))));
        Assert.True((await WithAsync(e => e.StartUseAsync(customer.UserId, fullWidth, "203.0.113.5", cancellationToken: Cancel))).Succeeded);
        Assert.Equal(RegistrationStatus.InUse, (await WithAsync(e => e.GetOverviewAsync(customer.UserId, Cancel))).Status);

        var started = await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains("利用開始"));
        Assert.Contains("利用開始登録が完了しました", started.Text);

        await using var db = portal.Database.CreateContext();
        var events = await db.AuditEntries.Where(a => a.UserId == customer.UserId).OrderBy(a => a.Id)
            .Select(a => a.Event + ":" + a.Outcome).ToListAsync(Cancel);
        Assert.Equal(["token-issued:ok", "mail-sent:ok", "activation:ok", "start-of-use:failed", "start-of-use:ok"], events);
    }

    [Fact]
    public async Task A_code_already_used_is_refused_for_start_of_use()
    {
        var (customer, _, mail) = await IssueAsync();
        var (_, code, serviceId, userId) = TokenHelpers.ReadIssueMail(mail.Text);
        using var client = portal.CreateClient();
        var token = await TokenHelpers.ActivateOkAsync(client, serviceId, userId, "1234", code);

        await using (var db = portal.Database.CreateContext())
        {
            var issue = await db.TokenIssues.SingleAsync(i => i.TokenUserId == userId, Cancel);
            var now = DateTimeOffset.UtcNow;
            // The current step and its neighbours were "used" a moment ago.
            foreach (var step in new[] { -1, 0, 1 }.Select(d => TotpRules.StepAt(now) + d))
                db.UsedOtpSteps.Add(new UsedOtpStep { TokenIssueId = issue.Id, Step = step, UsedAt = now });
            Assert.Equal(SaveOutcome.Saved, await db.SaveAsync(Cancel));
        }
        await using (var db = portal.Database.CreateContext())
        {
            // The one save helper tells the primary key's refusal apart: a duplicate, not an outage.
            db.UsedOtpSteps.Add(new UsedOtpStep { TokenIssueId = (await db.TokenIssues.SingleAsync(i => i.TokenUserId == userId, Cancel)).Id,
                Step = TotpRules.StepAt(DateTimeOffset.UtcNow), UsedAt = DateTimeOffset.UtcNow });
            Assert.Equal(SaveOutcome.Duplicate, await db.SaveAsync(Cancel));
        }

        var result = await WithAsync(e => e.StartUseAsync(customer.UserId, TokenHelpers.CodeAt(token, DateTimeOffset.UtcNow), null, cancellationToken: Cancel));
        Assert.Equal(CodeError.Wrong, result.CodeError);
        Assert.Equal(RegistrationStatus.Applied, (await WithAsync(e => e.GetOverviewAsync(customer.UserId, Cancel))).Status);
    }

    [Fact]
    public async Task Cancel_from_applied_needs_the_login_password()
    {
        var (customer, _, _) = await IssueAsync();
        Assert.Equal(CodeError.Wrong, (await WithAsync(e => e.CancelUseAsync(customer.UserId, "Wrong-pass-1", null, null, Cancel))).CodeError);
        Assert.Equal(RegistrationStatus.Applied, (await WithAsync(e => e.GetOverviewAsync(customer.UserId, Cancel))).Status);
        Assert.Equal(1, (await portal.FindUserAsync(customer.UserId)).AccessFailedCount);

        Assert.True((await WithAsync(e => e.CancelUseAsync(customer.UserId, customer.Password, null, null, Cancel))).Succeeded);
        Assert.Equal(RegistrationStatus.Unregistered, (await WithAsync(e => e.GetOverviewAsync(customer.UserId, Cancel))).Status);
    }

    [Fact]
    public async Task Wrong_codes_at_start_of_use_lock_like_the_login_screen_audited_and_mailed()
    {
        var (customer, mobile, mail) = await IssueAsync();
        var (_, code, serviceId, userId) = TokenHelpers.ReadIssueMail(mail.Text);
        using var client = portal.CreateClient();
        var token = await TokenHelpers.ActivateOkAsync(client, serviceId, userId, "1234", code);
        var wrong = TokenHelpers.CodeAt(token, DateTimeOffset.UtcNow.AddMinutes(5));
        for (var i = 0; i < 4; i++)
            Assert.Equal(new CodeCheckResult(CodeError.Wrong), await WithAsync(e => e.StartUseAsync(customer.UserId, wrong, null, cancellationToken: Cancel)));
        Assert.Equal(OtpRefusal.LockedOut, (await WithAsync(e => e.StartUseAsync(customer.UserId, wrong, null, cancellationToken: Cancel))).Refusal);

        Assert.NotNull((await portal.FindUserAsync(customer.UserId)).LockoutEnd);
        await using var db = portal.Database.CreateContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.UserId == customer.UserId && a.Event == AuditEvents.Locked, Cancel));
        await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains("ロック"));
    }

    [Fact]
    public async Task Cancel_from_in_use_needs_a_current_code_destroys_the_secret_and_mails_the_customer()
    {
        var (customer, mobile, mail) = await IssueAsync();
        var (_, code, serviceId, userId) = TokenHelpers.ReadIssueMail(mail.Text);
        using var client = portal.CreateClient();
        var token = await TokenHelpers.ActivateOkAsync(client, serviceId, userId, "1234", code);
        var now = DateTimeOffset.UtcNow;
        Assert.True((await WithAsync(e => e.StartUseAsync(customer.UserId, TokenHelpers.CodeAt(token, now), null, cancellationToken: Cancel))).Succeeded);

        // The code just used for start of use cannot be used again; the next step's can.
        Assert.Equal(CodeError.Wrong, (await WithAsync(e => e.CancelUseAsync(customer.UserId, TokenHelpers.CodeAt(token, now), null, null, Cancel))).CodeError);
        Assert.Equal(CodeError.Malformed, (await WithAsync(e => e.CancelUseAsync(customer.UserId, "abc", null, null, Cancel))).CodeError);
        var next = TokenHelpers.CodeAt(token, now.AddSeconds(30));
        Assert.True((await WithAsync(e => e.CancelUseAsync(customer.UserId, next, null, null, Cancel))).Succeeded);

        Assert.Equal(RegistrationStatus.Unregistered, (await WithAsync(e => e.GetOverviewAsync(customer.UserId, Cancel))).Status);
        await using var db = portal.Database.CreateContext();
        var issue = await db.TokenIssues.SingleAsync(i => i.UserId == customer.UserId, Cancel);
        Assert.Null(issue.ProtectedSecret);
        Assert.Equal("cancelled", issue.VoidReason);
        var cancelled = await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains("利用解除"));
        Assert.Contains("利用解除が完了しました", cancelled.Text);
    }

    [Fact]
    public async Task Audit_entries_cannot_be_changed_or_deleted_by_the_application()
    {
        var (customer, _, _) = await IssueAsync();
        await using var db = portal.Database.CreateContext();
        var entry = await db.AuditEntries.FirstAsync(a => a.UserId == customer.UserId, Cancel);
        db.Entry(entry).Property(e => e.Outcome).CurrentValue = "forged";
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Cancel));
        db.ChangeTracker.Clear();
        db.AuditEntries.Remove(await db.AuditEntries.FirstAsync(a => a.UserId == customer.UserId, Cancel));
        await Assert.ThrowsAsync<InvalidOperationException>(() => db.SaveChangesAsync(Cancel));
    }

    private sealed record ErrorBody(string Message);
}
