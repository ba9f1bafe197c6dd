using Microsoft.Extensions.DependencyInjection;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

public class PasswordSignInTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<PasswordCheckResult> CheckAsync(string loginId, string password)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PasswordSignIn>().CheckAsync(loginId, password, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task The_right_password_gives_a_ticket()
    {
        var customer = await portal.CreateCustomerAsync();
        var result = await CheckAsync(customer.LoginId, customer.Password);
        Assert.Equal(PasswordCheckOutcome.Succeeded, result.Outcome);
        Assert.NotNull(result.Ticket);
    }

    [Fact]
    public async Task Wrong_password_and_unknown_id_fail_alike()
    {
        var customer = await portal.CreateCustomerAsync();
        var wrongPassword = await CheckAsync(customer.LoginId, "Wrong-pass-1");
        var unknownId = await CheckAsync("nobody" + Guid.NewGuid().ToString("N")[..6], customer.Password);
        Assert.Equal(new PasswordCheckResult(PasswordCheckOutcome.Failed), wrongPassword);
        Assert.Equal(new PasswordCheckResult(PasswordCheckOutcome.Failed), unknownId);
    }

    [Fact]
    public async Task Five_consecutive_failures_lock_the_account_for_thirty_minutes()
    {
        var customer = await portal.CreateCustomerAsync();
        for (var i = 1; i <= 4; i++)
        {
            Assert.Equal(PasswordCheckOutcome.Failed, (await CheckAsync(customer.LoginId, "Wrong-pass-1")).Outcome);
            Assert.Equal(i, (await portal.FindUserAsync(customer.UserId)).AccessFailedCount);
        }

        var fifth = await CheckAsync(customer.LoginId, "Wrong-pass-1");
        Assert.Equal(PasswordCheckOutcome.LockedOut, fifth.Outcome);
        var expectedEnd = DateTimeOffset.UtcNow.AddMinutes(30);
        Assert.InRange(fifth.LockedUntil!.Value, expectedEnd.AddMinutes(-1), expectedEnd.AddMinutes(1));

        // Locked means locked: the right password does not get in either.
        var right = await CheckAsync(customer.LoginId, customer.Password);
        Assert.Equal(PasswordCheckOutcome.LockedOut, right.Outcome);
        Assert.Null(right.Ticket);
    }

    [Fact]
    public async Task A_success_resets_the_failure_count()
    {
        var customer = await portal.CreateCustomerAsync();
        await CheckAsync(customer.LoginId, "Wrong-pass-1");
        await CheckAsync(customer.LoginId, "Wrong-pass-1");
        Assert.Equal(PasswordCheckOutcome.Succeeded, (await CheckAsync(customer.LoginId, customer.Password)).Outcome);
        Assert.Equal(0, (await portal.FindUserAsync(customer.UserId)).AccessFailedCount);
    }

    [Theory]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("' OR '1'='1'; DROP TABLE \"AspNetUsers\"; --")]
    [InlineData("パスワード😀\u0000\u202e")]
    public async Task Hostile_passwords_fail_cleanly_and_count_once(string password)
    {
        var customer = await portal.CreateCustomerAsync();
        Assert.Equal(PasswordCheckOutcome.Failed, (await CheckAsync(customer.LoginId, password)).Outcome);
        Assert.Equal(PasswordCheckOutcome.Failed, (await CheckAsync(customer.LoginId, new string('x', 10_000))).Outcome);
        Assert.Equal(2, (await portal.FindUserAsync(customer.UserId)).AccessFailedCount);
    }

    [Theory]
    [InlineData("<b>x</b>")]
    [InlineData("' OR '1'='1")]
    public async Task Hostile_login_ids_fail_cleanly(string loginId)
    {
        Assert.Equal(PasswordCheckOutcome.Failed, (await CheckAsync(loginId, "x")).Outcome);
        Assert.Equal(PasswordCheckOutcome.Failed, (await CheckAsync(new string('a', 10_000), "x")).Outcome);
    }
}

public class ConfiguredLockoutTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new PortalFactory()
        .With("SignIn:MaxFailedAttempts", "3")
        .With("SignIn:LockoutMinutes", "10");

    public ValueTask InitializeAsync() => _portal.InitializeAsync();
    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    [Fact]
    public async Task The_number_of_failures_and_the_lock_time_come_from_configuration()
    {
        var customer = await _portal.CreateCustomerAsync();
        await using var scope = _portal.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<PasswordSignIn>();
        Assert.Equal(PasswordCheckOutcome.Failed, (await signIn.CheckAsync(customer.LoginId, "Wrong-pass-1", TestContext.Current.CancellationToken)).Outcome);
        Assert.Equal(PasswordCheckOutcome.Failed, (await signIn.CheckAsync(customer.LoginId, "Wrong-pass-1", TestContext.Current.CancellationToken)).Outcome);
        var third = await signIn.CheckAsync(customer.LoginId, "Wrong-pass-1", TestContext.Current.CancellationToken);
        Assert.Equal(PasswordCheckOutcome.LockedOut, third.Outcome);
        var expectedEnd = DateTimeOffset.UtcNow.AddMinutes(10);
        Assert.InRange(third.LockedUntil!.Value, expectedEnd.AddMinutes(-1), expectedEnd.AddMinutes(1));
    }
}
