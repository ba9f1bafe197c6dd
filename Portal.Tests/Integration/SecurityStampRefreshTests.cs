using System.Net;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>
/// Identity re-checks the security stamp every minute and rebuilds the principal when it does. The rebuilt principal
/// must keep this sign-in's session and factors, or everyone is signed out a minute after signing in.
/// </summary>
public class SecurityStampRefreshTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PortalFactory _portal;

    public SecurityStampRefreshTests() => _portal = new PortalFactory { Clock = _clock };

    public ValueTask InitializeAsync() => _portal.InitializeAsync();
    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    [Fact]
    public async Task After_the_minutely_check_the_session_and_the_otp_factor_are_still_there_and_a_new_stamp_still_signs_out()
    {
        var admin = await _portal.CreateCustomerAsync("管理 三郎");
        await _portal.MakeAdminAsync(admin.UserId);
        using var client = await HttpSignIn.SignedInClientAsync(_portal, admin.UserId, SignInFactors.PasswordAndOtp);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/admin/otp", TestContext.Current.CancellationToken)).StatusCode);

        _clock.Advance(TimeSpan.FromMinutes(2));
        var later = await client.GetAsync("/admin/otp", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, later.StatusCode);
        // The admin page itself, not the redirect to enroll that a lost OTP factor would give.
        Assert.Contains("ワンタイムパスワード登録状況一覧", WebUtility.HtmlDecode(await later.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));

        await using (var scope = _portal.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<PortalUser>>();
            await users.UpdateSecurityStampAsync((await users.FindByIdAsync(admin.UserId))!);
        }
        _clock.Advance(TimeSpan.FromMinutes(2));
        var afterStampChange = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Redirect, afterStampChange.StatusCode);
        Assert.StartsWith("/login", afterStampChange.Headers.Location?.PathAndQuery ?? afterStampChange.Headers.Location?.OriginalString);
    }
}
