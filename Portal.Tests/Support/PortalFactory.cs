using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Portal.Identity;

namespace Portal.Tests.Support;

/// <summary>
/// The real portal on its own PostgreSQL database. With <see cref="StartOnKestrel"/> it listens on a free loopback
/// port, for the browser; otherwise tests talk to it through the in-memory client.
/// </summary>
public class PortalFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly TestDatabase _database;
    private readonly bool _ownsDatabase;
    private readonly Dictionary<string, string?> _settings = [];

    public PortalFactory() : this(new TestDatabase(), ownsDatabase: true) { }

    /// <summary>A portal on a database someone else created and will drop, e.g. to start two instances on one.</summary>
    public static PortalFactory On(TestDatabase database, TimeProvider? clock = null) =>
        new(database, ownsDatabase: false) { Clock = clock };

    private PortalFactory(TestDatabase database, bool ownsDatabase)
    {
        _database = database;
        _ownsDatabase = ownsDatabase;
    }

    public TimeProvider? Clock { get; init; }

    private readonly List<Action<IServiceCollection>> _services = [];

    /// <summary>Adds to the portal's services (an EF interceptor, a log capture); call before first use.</summary>
    public PortalFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    /// <summary>Overrides a configuration key, e.g. ("SignIn:MaxFailedAttempts", "3"); call before first use.</summary>
    public PortalFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public TestDatabase Database => _database;

    /// <summary>Every line this portal logged (at the levels its configuration lets through).</summary>
    public CapturedLogs Logs { get; } = new();

    public virtual async ValueTask InitializeAsync()
    {
        if (_ownsDatabase) await _database.InitializeAsync();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", "Postgres");
        builder.UseSetting("ConnectionStrings:Portal", _database.ConnectionString);
        builder.UseSetting("Seed:DemoData", "false");
        builder.UseSetting("Mail:Smtp:Host", "127.0.0.1");
        builder.UseSetting("Mail:Smtp:Port", MailDev.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Mail:RetryDelayMilliseconds", "50");
        // Many tests share one address; the rate limit has a test of its own.
        builder.UseSetting("Otp:ActivationRequestsPerMinute", "10000");
        builder.UseSetting("SignIn:AttemptsPerMinutePerAddress", "10000");
        // Keys encrypted at rest as in production (required outside Development).
        builder.UseSetting("DataProtection:CertificatePath", TestCertificate.PfxPath);
        builder.UseSetting("DataProtection:CertificatePassword", TestCertificate.Password);
        // Mail links come from configuration alone (required outside Development), and Production lists its hosts
        // (Development allows any, as appsettings.Development.json says).
        builder.UseSetting("Otp:PublicBaseUrl", "http://portal.test/");
        if (_settings.GetValueOrDefault("environment") is { } environment && environment != "Development")
            builder.UseSetting("AllowedHosts", "portal.test;localhost;127.0.0.1");
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (Clock is not null) builder.ConfigureTestServices(services => services.AddSingleton(Clock));
        foreach (var configure in _services) builder.ConfigureTestServices(configure);
    }

    /// <summary>
    /// Listens on 127.0.0.1 with a free port and returns the base address, which is also the mails' link base unless
    /// a test configured another.
    /// </summary>
    public Uri StartOnKestrel()
    {
        var port = ChildProcess.FreePort();
        _settings.TryAdd("Otp:PublicBaseUrl", $"http://127.0.0.1:{port}/");
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, port));
        StartServer();
        return ClientOptions.BaseAddress;
    }

    /// <summary>Creates a customer with a unique login ID through the portal's own UserManager.</summary>
    public async Task<TestCustomer> CreateCustomerAsync(string displayName = "試験 太郎", string password = "Test-pass-1")
    {
        await using var scope = Services.CreateAsyncScope();
        return await TestCustomer.CreateAsync(scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>(), displayName, password);
    }

    /// <summary>
    /// A customer whose 登録状況 is 利用中: token issued (mail through MailDev), app set up through the API, start of
    /// use with the code of <paramref name="now"/>'s step, which is therefore used up.
    /// </summary>
    public async Task<EnrolledCustomer> CreateEnrolledCustomerAsync(DateTimeOffset now, string activationPassword = "1234")
    {
        var customer = await CreateCustomerAsync();
        var (token, mobile) = await IssueAndActivateAsync(customer.UserId, activationPassword);
        await using var scope = Services.CreateAsyncScope();
        var started = await scope.ServiceProvider.GetRequiredService<Portal.Otp.OtpEnrollment>()
            .StartUseAsync(customer.UserId, TokenHelpers.CodeAt(token, now), null);
        if (!started.Succeeded) throw new InvalidOperationException($"start of use failed: {started}");
        return new EnrolledCustomer(customer, token, mobile);
    }

    /// <summary>A customer at 申請済 with the token app set up: token issued (mail through MailDev), activated through the API.</summary>
    public async Task<(Portal.Otp.ActivatedToken Token, string Mobile)> IssueAndActivateAsync(string customerUserId, string activationPassword = "1234")
    {
        var mobile = $"e{Guid.NewGuid():N}"[..12] + "@docomo.ne.jp";
        await using var scope = Services.CreateAsyncScope();
        var issued = await scope.ServiceProvider.GetRequiredService<Portal.Otp.OtpEnrollment>().IssueTokenAsync(customerUserId,
            new Portal.Otp.IssueTokenInput(mobile, activationPassword, activationPassword), null);
        if (!issued.MailSent) throw new InvalidOperationException("issue mail not sent");
        var (_, code, serviceId, userId) = TokenHelpers.ReadIssueMail((await MailDev.WaitForMailAsync(mobile)).Text);
        using var client = CreateClient();
        return (await TokenHelpers.ActivateOkAsync(client, serviceId, userId, activationPassword, code), mobile);
    }

    /// <summary>
    /// Opens the customer's representative account and books <paramref name="bookings"/> on it (default: 13 months of
    /// demo history) with a consistent running balance; returns the account's ID and balance.
    /// </summary>
    public async Task<(long AccountId, Portal.Domain.Banking.Money Balance)> CreateAccountAsync(string userId,
        IEnumerable<Portal.Banking.DemoBooking>? bookings = null, string holderKana = "シケン タロウ")
    {
        await using var scope = Services.CreateAsyncScope();
        var account = await scope.ServiceProvider.GetRequiredService<Portal.Banking.Ledger>().OpenAsync(userId, holderKana);
        var today = Portal.Domain.JapanTime.Today(Services.GetRequiredService<TimeProvider>());
        await using var db = CreatePortalContext();
        var balance = await Portal.Banking.DemoLedger.SeedAsync(db, account.Id,
            bookings ?? Portal.Banking.DemoLedger.Generate(seed: 1, today));
        return (account.Id, balance);
    }

    /// <summary>
    /// A bill in the embedded billing center with a fresh お客様番号 (確認番号 1234; 納付区分 001 for the public body
    /// 01234); the demo 収納機関 are added on first use. Expires in 30 days unless told.
    /// </summary>
    public async Task<Portal.Domain.Banking.Bill> CreateBillAsync(long amount, string institutionNumber = "58021", long fee = 0,
        Portal.Domain.Banking.BillStatus status = Portal.Domain.Banking.BillStatus.Unpaid, DateTimeOffset? expiresAt = null)
    {
        await using var db = CreatePortalContext();
        foreach (var institution in Portal.Banking.PayEasy.DemoBills.Institutions)
        {
            if (await db.CollectingInstitutions.AnyAsync(i => i.Number == institution.Number)) continue;
            db.CollectingInstitutions.Add(new() { Number = institution.Number, Name = institution.Name, IsPublicBody = institution.IsPublicBody });
            await db.SaveAsync(CancellationToken.None); // a parallel test may have added it first
            db.ChangeTracker.Clear();
        }
        var publicBody = Portal.Banking.PayEasy.DemoBills.Institutions.Single(i => i.Number == institutionNumber).IsPublicBody;
        var bill = new Portal.Domain.Banking.Bill
        {
            InstitutionNumber = institutionNumber,
            CustomerNumber = string.Concat(Enumerable.Range(0, 16).Select(_ => (char)('0' + System.Security.Cryptography.RandomNumberGenerator.GetInt32(10)))),
            ConfirmationNumber = "1234", PaymentCategory = publicBody ? "001" : null,
            ChargeName = "試験料金", PayerName = "シケン タロウ", Amount = amount, Fee = fee,
            ExpiresAt = expiresAt ?? DateTimeOffset.UtcNow.AddDays(30), Status = status,
        };
        db.Bills.Add(bill);
        await db.SaveChangesAsync();
        return bill;
    }

    /// <summary>A context on the portal's own database, whichever provider it was started with.</summary>
    public PortalDbContext CreatePortalContext() => Services.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContext();

    /// <summary>Makes the user bank staff.</summary>
    public async Task MakeAdminAsync(string userId)
    {
        await using var scope = Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.RoleManager<Microsoft.AspNetCore.Identity.IdentityRole>>();
        if (!await roles.RoleExistsAsync(Portal.Admin.AdminAccess.Role))
            await roles.CreateAsync(new Microsoft.AspNetCore.Identity.IdentityRole(Portal.Admin.AdminAccess.Role));
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        await users.AddToRoleAsync((await users.FindByIdAsync(userId))!, Portal.Admin.AdminAccess.Role);
    }

    public async Task<PortalUser> FindUserAsync(string userId)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
        return await users.FindByIdAsync(userId) ?? throw new InvalidOperationException("no such user");
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_ownsDatabase) await _database.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>The customer as a circuit signed in with the one-time password sees them: what Pay-easy asks for.</summary>
public static class CodeSession
{
    public static Portal.Identity.CustomerRef Of(string userId, string? sourceAddress = null) =>
        new(userId, sourceAddress, SessionId: null, SignedInWithCode: true);
}

/// <param name="Email">The registered address (the bank's record), where every security notice goes.</param>
public sealed record TestCustomer(string UserId, string LoginId, string Password, string DisplayName, string Email)
{
    /// <summary>A customer with a unique login ID, made with that UserManager.</summary>
    public static async Task<TestCustomer> CreateAsync(UserManager<PortalUser> users, string displayName, string password)
    {
        var loginId = "c" + Guid.NewGuid().ToString("N")[..12];
        var email = loginId + "@example.jp";
        var user = new PortalUser { UserName = loginId, DisplayName = displayName, Email = email, EmailConfirmed = true };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join(", ", result.Errors.Select(e => e.Description)));
        return new TestCustomer(user.Id, loginId, password, displayName, email);
    }
}

public sealed record EnrolledCustomer(TestCustomer Customer, Portal.Otp.ActivatedToken Token, string Mobile);
