using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using OtpNet;
using Portal.Admin;
using Portal.Banking.PayEasy;
using Portal.Domain;
using Portal.Domain.Auditing;
using Portal.Domain.Otp;
using Portal.Identity;
using Portal.Otp;
using Portal.Tests.Support;
using static Portal.Tests.Support.Bookings;

namespace Portal.Tests.Integration;

/// <summary>
/// 緊急利用停止 on PostgreSQL + MailDev (SPEC section 7, docs/decisions/0015): every notice goes to the registered address
/// with a stop link made from Otp:PublicBaseUrl; the link stops internet banking at once (sessions, circuits, sign-in,
/// the ticket, payments), works once and for 7 days, and only staff lift the stop.
/// </summary>
public partial class EmergencyStopTests : IAsyncLifetime
{
    public const string PublicBase = "https://ib.kitashin.test/";

    // Noon in Japan; the clock moves only when a test says so.
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 24, 3, 0, 10, TimeSpan.Zero));
    private readonly PortalFactory _portal;
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    public EmergencyStopTests() => _portal = new PortalFactory { Clock = _clock }.With("Otp:PublicBaseUrl", PublicBase);

    public ValueTask InitializeAsync() => _portal.InitializeAsync();
    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    private DateTimeOffset Now => _clock.GetUtcNow();

    [GeneratedRegex(@"https://ib\.kitashin\.test/stop\?token=([A-Za-z0-9_-]{43})")]
    private static partial Regex StopLink();

    /// <summary>The notice carries the sentence and a link under the configured base; returns the link's token.</summary>
    public static string StopTokenOf(ReceivedMail mail)
    {
        Assert.Contains("お心当たりのない場合は、こちらからインターネットバンキングのご利用を停止できます", mail.Text);
        var match = StopLink().Match(mail.Text);
        Assert.True(match.Success, mail.Text);
        return match.Groups[1].Value;
    }

    private async Task<T> WithAsync<T, TService>(Func<TService, Task<T>> use) where TService : notnull
    {
        await using var scope = _portal.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<TService>());
    }

    private Task<StopOutcome> StopAsync(string token) =>
        WithAsync<StopOutcome, ServiceStops>(s => s.StopByLinkAsync(token, "203.0.113.9", Cancel));

    private Task<PasswordCheckResult> SignInAsync(TestCustomer customer, string? password = null) =>
        WithAsync<PasswordCheckResult, PasswordSignIn>(s => s.CheckAsync(customer.LoginId, password ?? customer.Password, "192.0.2.7", Cancel));

    private async Task<string> StopTokenForAsync(TestCustomer customer, string subjectPart) =>
        StopTokenOf(await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains(subjectPart)));

    [Fact]
    public async Task Every_notice_goes_to_the_registered_address_with_a_stop_link_and_the_download_mail_only_to_the_mobile()
    {
        var customer = await _portal.CreateCustomerAsync();
        var mobile = $"ab{Guid.NewGuid():N}"[..12] + "@docomo.ne.jp";
        var issued = await WithAsync<IssueTokenResult, OtpEnrollment>(e => e.IssueTokenAsync(customer.UserId,
            new IssueTokenInput(mobile, "1234", "1234"), null, Cancel));
        Assert.True(issued.MailSent);
        var firstCode = TokenHelpers.ReadIssueMail((await MailDev.WaitForMailAsync(mobile)).Text).Code;

        var notice = await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains("トークン発行のお知らせ"));
        Assert.Contains(MailAddresses.Mask(mobile), notice.Text);
        Assert.Equal("ab***@docomo.ne.jp", MailAddresses.Mask(mobile));
        Assert.DoesNotContain(mobile, notice.Text);
        StopTokenOf(notice);

        Assert.Equal(DownloadMailResend.Sent, await WithAsync<DownloadMailResend, OtpEnrollment>(e => e.ResendDownloadMailAsync(customer.UserId, null, Cancel)));
        StopTokenOf(await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains("再送信")));

        // The re-sent mail's code: the first mail's was voided by the re-send.
        var (_, code, serviceId, tokenUserId) = TokenHelpers.ReadIssueMail((await MailDev.WaitForMailAsync(mobile, m => !m.Text.Contains(firstCode))).Text);
        using var client = _portal.CreateClient();
        var token = await TokenHelpers.ActivateOkAsync(client, serviceId, tokenUserId, "1234", code);
        StopTokenOf(await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains("初期設定")));

        Assert.True((await WithAsync<CodeCheckResult, OtpEnrollment>(e => e.StartUseAsync(customer.UserId, TokenHelpers.CodeAt(token, Now), null, cancellationToken: Cancel))).Succeeded);
        StopTokenOf(await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains("利用開始")));

        _clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await WithAsync<CodeCheckResult, OtpEnrollment>(e => e.CancelUseAsync(customer.UserId, TokenHelpers.CodeAt(token, Now), null, null, Cancel))).Succeeded);
        StopTokenOf(await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains("利用解除")));

        for (var i = 0; i < 5; i++) await SignInAsync(customer, "Wrong-pass-1");
        StopTokenOf(await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains("ロック")));

        // The mobile address got the two download mails and nothing else: no notice goes only (or at all) there.
        var toMobile = await MailDev.AllToAsync(mobile);
        Assert.Equal(2, toMobile.Count);
        Assert.All(toMobile, m => Assert.Contains("トークンアプリのご案内", m.Subject));
        Assert.All(toMobile, m => Assert.DoesNotContain("/stop?token=", m.Text));
        // Both links are the configured base's, whatever address the request came in on.
        Assert.All(toMobile, m => Assert.Contains(PublicBase + "token/?code=", m.Text));
    }

    [Fact]
    public async Task Opening_the_link_changes_nothing_and_the_button_stops_sessions_circuits_sign_in_tickets_and_payments()
    {
        var enrolled = await _portal.CreateEnrolledCustomerAsync(Now);
        var customer = enrolled.Customer;
        await _portal.CreateAccountAsync(customer.UserId, [At(new DateOnly(2026, 11, 21), 9, "給与", 100_000)]);
        var bill = await _portal.CreateBillAsync(12_000, "71450");
        var confirmation = (await WithAsync<BillLookupResult, PayEasyPayments>(p => p.LookUpBillAsync(CodeSession.Of(customer.UserId), bill.InstitutionNumber,
            bill.CustomerNumber, bill.ConfirmationNumber, bill.PaymentCategory, Cancel))).Confirmation!;
        var token = await StopTokenForAsync(customer, "利用開始");

        // An open session (a cookie) and an open circuit, as the thief would have them.
        using var browser = await HttpSignIn.SignedInClientAsync(_portal, customer.UserId, SignInFactors.PasswordAndOtp);
        var signIns = _portal.Services.GetRequiredService<CircuitSignIns>();
        var circuit = new SessionCheckCostTests.Circuit();
        var sessionId = await WithAsync<Guid, Portal.Data.PortalDbContext>(db =>
            db.PortalSessions.Where(s => s.UserId == customer.UserId && s.EndedAt == null).Select(s => s.Id).SingleAsync(Cancel));
        signIns.Watch(circuit, new(sessionId, customer.UserId, (await _portal.FindUserAsync(customer.UserId)).SecurityStamp));

        // GET, as a mail scanner would: the page offers the button and nothing is stopped.
        using var anonymous = HttpSignIn.NewClient(_portal);
        var page = WebUtility.HtmlDecode(await anonymous.GetStringAsync("/stop?token=" + token, Cancel));
        Assert.Contains("このボタンを押すと", page);
        Assert.DoesNotContain("ご利用になれません", page);
        await signIns.CheckAsync(Cancel);
        Assert.False(circuit.SignedOut);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/", Cancel)).StatusCode);
        await using (var db = _portal.CreatePortalContext())
            Assert.False(await db.ServiceStops.AnyAsync(s => s.UserId == customer.UserId, Cancel));

        Assert.Equal(StopOutcome.Stopped, await StopAsync(token));

        // Every session ended; the cookie is refused on its next request and the circuit at the next minutely check.
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/", Cancel)).StatusCode);
        await signIns.CheckAsync(Cancel);
        Assert.True(circuit.SignedOut);
        // The next sign-in is refused (with the help desk, on the page), and so is a ticket issued before the stop came.
        Assert.Equal(PasswordCheckOutcome.Stopped, (await SignInAsync(customer)).Outcome);
        var ticketError = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            HttpSignIn.SignedInClientAsync(_portal, customer.UserId, SignInFactors.PasswordAndOtp));
        Assert.Contains("error=stopped", ticketError.Message);
        // No payment goes through, even from the 払込内容確認 shown before the stop.
        var paid = await WithAsync<ExecutionResult, PayEasyPayments>(p => p.ExecuteAsync(CodeSession.Of(customer.UserId), confirmation.Key,
            TransactionAuthentication.Compute(Base32Encoding.ToBytes(enrolled.Token.Secret), "71450", 12_000, Now), Cancel));
        Assert.Equal((ExecutionOutcome.Blocked, PayEasyBlock.ServiceStopped), (paid.Outcome, paid.Access?.Block));
        Assert.Equal(PayEasyBlock.ServiceStopped, (await WithAsync<PayEasyAccess, PayEasyPayments>(p => p.CheckAccessAsync(CodeSession.Of(customer.UserId), Cancel))).Block);

        // Audited and mailed.
        var stoppedMail = await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains("利用停止のお知らせ"));
        Assert.Contains(_portal.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Portal.Hosting.SignInSettings>>().Value.HelpDesk, stoppedMail.Text);
        await using (var db = _portal.CreatePortalContext())
        {
            var entry = await db.AuditEntries.SingleAsync(a => a.UserId == customer.UserId && a.Event == AuditEvents.ServiceStopped, Cancel);
            Assert.Equal((AuditActors.StopLink, "203.0.113.9"), (entry.Actor, entry.SourceAddress));
        }

        // The link works once; another link stops nothing twice (no second audit, no second mail, the same time).
        Assert.Equal(StopOutcome.LinkInvalid, await StopAsync(token));
        Assert.Contains("ご利用になれません", WebUtility.HtmlDecode(await anonymous.GetStringAsync("/stop?token=" + token, Cancel)));
        var stoppedAt = (await WithAsync<ServiceStop?, ServiceStops>(s => s.FindAsync(customer.UserId, Cancel)))!.StoppedAt;
        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(StopOutcome.AlreadyStopped, await StopAsync(StopTokenOf(stoppedMail)));
        Assert.Equal(stoppedAt, (await WithAsync<ServiceStop?, ServiceStops>(s => s.FindAsync(customer.UserId, Cancel)))!.StoppedAt);
        await using (var db = _portal.CreatePortalContext())
            Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.UserId == customer.UserId && a.Event == AuditEvents.ServiceStopped, Cancel));
        Assert.Single(await MailDev.AllToAsync(customer.Email), m => m.Subject.Contains("利用停止のお知らせ"));
    }

    [Fact]
    public async Task An_unlock_does_not_lift_the_stop_and_staff_lift_it_with_a_reason_once_never_on_their_own_account()
    {
        var customer = await _portal.CreateCustomerAsync();
        var admin = await _portal.CreateCustomerAsync("管理 次郎");
        await _portal.MakeAdminAsync(admin.UserId);
        var actor = new AdminActor(admin.UserId, admin.LoginId, "10.1.2.3");
        // A lock gives the customer a notice, and its link stops.
        for (var i = 0; i < 5; i++) await SignInAsync(customer, "Wrong-pass-1");
        Assert.Equal(StopOutcome.Stopped, await StopAsync(await StopTokenForAsync(customer, "ロック")));

        Assert.Equal(AdminActionOutcome.Done, await WithAsync<AdminActionOutcome, AdminOtpActions>(a =>
            a.UnlockAsync(actor, customer.UserId, AdminReasonCode.CustomerRequest, null, Cancel)));
        Assert.Equal(PasswordCheckOutcome.Stopped, (await SignInAsync(customer)).Outcome);

        var stop = (await WithAsync<ServiceStop?, AdminOtpQueries>(q => q.GetServiceStopAsync(customer.UserId, Cancel)))!;
        Assert.Equal(Portal.Domain.Stops.EmergencyStopRules.ByLink, stop.StoppedBy);
        Task<AdminActionOutcome> LiftAsync(AdminActor who, string userId, DateTimeOffset seen, AdminReasonCode? reason) =>
            WithAsync<AdminActionOutcome, AdminOtpActions>(a => a.LiftServiceStopAsync(who, userId, seen, reason, "本人確認済み", Cancel));
        Assert.Equal(AdminActionOutcome.ReasonInvalid, await LiftAsync(actor, customer.UserId, stop.StoppedAt, null));
        Assert.Equal(AdminActionOutcome.OwnAccount, await LiftAsync(actor with { UserId = customer.UserId }, customer.UserId, stop.StoppedAt,
            AdminReasonCode.CustomerRequest));
        Assert.Equal(AdminActionOutcome.StateChanged, await LiftAsync(actor, customer.UserId, stop.StoppedAt.AddSeconds(-1), AdminReasonCode.CustomerRequest));
        Assert.Equal(PasswordCheckOutcome.Stopped, (await SignInAsync(customer)).Outcome);

        Assert.Equal(AdminActionOutcome.Done, await LiftAsync(actor, customer.UserId, stop.StoppedAt, AdminReasonCode.CustomerRequest));
        Assert.Equal(AdminActionOutcome.StateChanged, await LiftAsync(actor, customer.UserId, stop.StoppedAt, AdminReasonCode.CustomerRequest));
        Assert.Equal(PasswordCheckOutcome.Succeeded, (await SignInAsync(customer)).Outcome);
        StopTokenOf(await MailDev.WaitForMailAsync(customer.Email, m => m.Subject.Contains("利用停止の解除")));
        await using var db = _portal.CreatePortalContext();
        var entry = await db.AuditEntries.SingleAsync(a => a.UserId == customer.UserId && a.Event == AuditEvents.AdminLiftServiceStop, Cancel);
        Assert.Equal(admin.LoginId, entry.Actor);
        Assert.Contains("本人確認済み", entry.Detail);
        Assert.Equal(admin.LoginId, (await db.ServiceStops.SingleAsync(s => s.UserId == customer.UserId, Cancel)).LiftedBy);
    }

    [Fact]
    public async Task A_link_stops_for_seven_days_and_not_after()
    {
        var customer = await _portal.CreateCustomerAsync();
        for (var i = 0; i < 5; i++) await SignInAsync(customer, "Wrong-pass-1");
        var token = await StopTokenForAsync(customer, "ロック");

        _clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        Assert.False(await WithAsync<bool, ServiceStops>(s => s.IsLinkUsableAsync(token, Cancel)));
        Assert.Equal(StopOutcome.LinkInvalid, await StopAsync(token));
        Assert.Equal(StopOutcome.LinkInvalid, await StopAsync("x" + token[1..]));
        await using var db = _portal.CreatePortalContext();
        Assert.False(await db.ServiceStops.AnyAsync(s => s.UserId == customer.UserId, Cancel));
        // Only the hash is stored.
        Assert.False(await db.StopLinks.AnyAsync(l => l.TokenHash == token, Cancel));
        Assert.True(await db.StopLinks.AnyAsync(l => l.TokenHash == Secrets.Hash(token), Cancel));
    }
}
