using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Portal.Admin;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>
/// The portal plus one test-only admin endpoint that asks for <see cref="AdminAccess.Policy"/> and nothing else: no
/// admin layout to lean on, so whatever it refuses, the policy refused.
/// </summary>
public sealed class AdminProbePortal : PortalFactory
{
    public const string Path = "/test-only/admin-probe";
    public const string Body = "admin probe";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, ProbeEndpoint>());
    }

    private sealed class ProbeEndpoint : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.UseRouting();
            app.UseAuthorization();
            app.UseEndpoints(endpoints => endpoints.MapGet(Path, () => Body).RequireAuthorization(AdminAccess.Policy));
        };
    }
}

public class AdminPolicyTests(AdminProbePortal portal) : IClassFixture<AdminProbePortal>
{
    private CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task<HttpResponseMessage> ProbeAsync(bool admin, string factors)
    {
        var user = await portal.CreateCustomerAsync();
        if (admin) await portal.MakeAdminAsync(user.UserId);
        using var client = await HttpSignIn.SignedInClientAsync(portal, user.UserId, factors);
        return await client.GetAsync(AdminProbePortal.Path, Cancel);
    }

    [Fact]
    public async Task The_admin_policy_itself_sends_an_admin_signed_in_without_otp_to_enroll()
    {
        var response = await ProbeAsync(admin: true, SignInFactors.Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.Equal("/otp?enroll=admin", location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString);
        Assert.DoesNotContain(AdminProbePortal.Body, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task The_admin_policy_refuses_a_customer_with_403()
    {
        var response = await ProbeAsync(admin: false, SignInFactors.PasswordAndOtp);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(AdminProbePortal.Body, await response.Content.ReadAsStringAsync(Cancel));
    }

    [Fact]
    public async Task The_admin_policy_lets_an_admin_signed_in_with_otp_through()
    {
        var response = await ProbeAsync(admin: true, SignInFactors.PasswordAndOtp);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AdminProbePortal.Body, await response.Content.ReadAsStringAsync(Cancel));
    }
}
