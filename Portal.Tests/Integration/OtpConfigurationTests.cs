using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Domain.Otp;
using Portal.Otp;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

public abstract class OwnPortal(PortalFactory portal) : IAsyncLifetime
{
    protected PortalFactory Portal { get; } = portal;
    protected static CancellationToken Cancel => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync() => Portal.InitializeAsync();
    public ValueTask DisposeAsync() => Portal.DisposeAsync();

    protected async Task<T> WithAsync<T>(Func<OtpEnrollment, Task<T>> use)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await use(scope.ServiceProvider.GetRequiredService<OtpEnrollment>());
    }

    protected static string NewMobile() => $"m{Guid.NewGuid():N}"[..12] + "@au.com";
}

public class IssueExpiryTests() : OwnPortal(new PortalFactory { Clock = Clock })
{
    private static readonly FakeTimeProvider Clock = new(DateTimeOffset.UtcNow);

    [Fact]
    public async Task An_issue_not_started_within_seven_days_returns_to_unregistered_and_cannot_be_set_up()
    {
        var customer = await Portal.CreateCustomerAsync();
        var mobile = NewMobile();
        Assert.True((await WithAsync(e => e.IssueTokenAsync(customer.UserId, new IssueTokenInput(mobile, "1234", "1234"), null, Cancel))).Succeeded);
        var (_, code, serviceId, userId) = TokenHelpers.ReadIssueMail((await MailDev.WaitForMailAsync(mobile)).Text);

        Clock.Advance(TimeSpan.FromDays(7));

        using var client = Portal.CreateClient();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/token/download?code={code}", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await TokenHelpers.ActivateAsync(client, serviceId, userId, "1234", code)).StatusCode);
        Assert.Equal(RegistrationStatus.Unregistered, (await WithAsync(e => e.GetOverviewAsync(customer.UserId, Cancel))).Status);

        await using var db = Portal.Database.CreateContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.UserId == customer.UserId && a.Event == "issue-expired", Cancel));
    }
}

public class MailFailureTests() : OwnPortal(new PortalFactory()
    .With("Mail:Smtp:Port", "1")          // nothing listens there
    .With("Mail:Attempts", "2"))
{
    [Fact]
    public async Task A_mail_that_cannot_be_sent_never_loses_the_issue()
    {
        var customer = await Portal.CreateCustomerAsync();
        var result = await WithAsync(e => e.IssueTokenAsync(customer.UserId, new IssueTokenInput(NewMobile(), "1234", "1234"), null, Cancel));
        Assert.True(result.Succeeded);
        Assert.False(result.MailSent);

        var overview = await WithAsync(e => e.GetOverviewAsync(customer.UserId, Cancel));
        Assert.Equal(RegistrationStatus.Applied, overview.Status);
        Assert.False(overview.MailSent);
        await using var db = Portal.Database.CreateContext();
        Assert.True(await db.AuditEntries.AnyAsync(a => a.UserId == customer.UserId && a.Event == "mail-sent" && a.Outcome == "failed", Cancel));
        Assert.Equal(DownloadMailResend.MailFailed, await WithAsync(e => e.ResendDownloadMailAsync(customer.UserId, null, Cancel)));
    }
}

public class PickupFolderTests() : OwnPortal(new PortalFactory()
    .With("Mail:Smtp:Host", "")
    .With("Storage:DataDirectory", Folder))
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("kitashin-pickup-").FullName;

    [Fact]
    public async Task Without_an_smtp_host_mail_is_written_as_eml_files()
    {
        var customer = await Portal.CreateCustomerAsync();
        var mobile = NewMobile();
        Assert.True((await WithAsync(e => e.IssueTokenAsync(customer.UserId, new IssueTokenInput(mobile, "1234", "1234"), null, Cancel))).MailSent);
        // The download mail to the mobile address, and the notice of it to the registered address.
        var messages = new List<MimeKit.MimeMessage>();
        foreach (var file in Directory.GetFiles(Path.Combine(Folder, "mail"), "*.eml")) messages.Add(await MimeKit.MimeMessage.LoadAsync(file, Cancel));
        Assert.Equal(2, messages.Count);
        var download = Assert.Single(messages, m => m.To.Mailboxes.Single().Address == mobile);
        Assert.Contains("/token/?code=", download.TextBody);
        Assert.Single(messages, m => m.To.Mailboxes.Single().Address == customer.Email);
    }
}

public class ActivationRateLimitTests() : OwnPortal(new PortalFactory().With("Otp:ActivationRequestsPerMinute", "3"))
{
    [Fact]
    public async Task The_activation_api_is_rate_limited_per_address()
    {
        using var client = Portal.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await TokenHelpers.ActivateAsync(client, "KITASHIN", "0123456789", "1234", null)).StatusCode);
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
        var last = await TokenHelpers.ActivateAsync(client, "KITASHIN", "0123456789", "1234", null);
        Assert.Equal("しばらくしてから再度お試しください。", (await last.Content.ReadFromJsonAsync<Dictionary<string, string>>(Cancel))!["message"]);
    }
}
