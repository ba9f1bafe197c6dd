using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>
/// The sign-in path on the embedded default, SQLite (its own migration set): the password step's user and 登録状況 in one
/// query, and the ticket read back with the customer, 登録状況 and roles.
/// </summary>
public sealed class SignInSqliteTests : SqlitePortalTests
{
    [Fact]
    public async Task On_sqlite_a_customer_signs_in_staff_bring_their_role_and_a_customer_in_use_owes_the_code()
    {
        var customer = await Portal.CreateCustomerAsync();
        using (var client = await HttpSignIn.PasswordSignedInClientAsync(Portal, customer))
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/", Cancel)).StatusCode);

        var staff = await Portal.CreateCustomerAsync();
        await Portal.MakeAdminAsync(staff.UserId);
        using (var client = await HttpSignIn.PasswordSignedInClientAsync(Portal, staff))
        {
            var response = await client.GetAsync("/admin/otp", Cancel);
            Assert.Equal("/otp?enroll=admin", response.Headers.Location?.AbsolutePath + response.Headers.Location?.Query);
        }

        var enrolled = await Portal.CreateEnrolledCustomerAsync(DateTimeOffset.UtcNow);
        await using var scope = Portal.Services.CreateAsyncScope();
        var check = await scope.ServiceProvider.GetRequiredService<PasswordSignIn>()
            .CheckAsync(enrolled.Customer.LoginId, enrolled.Customer.Password, "192.0.2.1", Cancel);
        Assert.Equal(PasswordCheckOutcome.OtpRequired, check.Outcome);
    }
}
