using System.Net;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>
/// The sign-in path on the embedded default, SQLite (its own migration set): the password step's user and 登録状況 in one
/// query, and the ticket read back with the customer, 登録状況 and roles.
/// </summary>
public sealed class SignInSqliteTests : IAsyncLifetime
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"kitashin-signin-{Guid.NewGuid():N}.db");
    private readonly PortalFactory _portal;
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    public SignInSqliteTests() =>
        _portal = new PortalFactory().With("Database:Provider", "Sqlite").With("ConnectionStrings:Portal", $"Data Source={_file}");

    public ValueTask InitializeAsync() => _portal.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await _portal.DisposeAsync();
        SqliteConnection.ClearAllPools();
        File.Delete(_file);
    }

    [Fact]
    public async Task On_sqlite_a_customer_signs_in_staff_bring_their_role_and_a_customer_in_use_owes_the_code()
    {
        var customer = await _portal.CreateCustomerAsync();
        using (var client = await HttpSignIn.PasswordSignedInClientAsync(_portal, customer))
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", Cancel)).StatusCode);

        var staff = await _portal.CreateCustomerAsync();
        await _portal.MakeAdminAsync(staff.UserId);
        using (var client = await HttpSignIn.PasswordSignedInClientAsync(_portal, staff))
        {
            var response = await client.GetAsync("/admin/otp", Cancel);
            Assert.Equal("/otp?enroll=admin", response.Headers.Location?.AbsolutePath + response.Headers.Location?.Query);
        }

        var enrolled = await _portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        await using var scope = _portal.Services.CreateAsyncScope();
        var check = await scope.ServiceProvider.GetRequiredService<PasswordSignIn>()
            .CheckAsync(enrolled.Customer.LoginId, enrolled.Customer.Password, "192.0.2.1", Cancel);
        Assert.Equal(PasswordCheckOutcome.OtpRequired, check.Outcome);
    }
}
