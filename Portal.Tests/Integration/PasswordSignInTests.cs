using Microsoft.Extensions.DependencyInjection;
using Portal.Domain.Auditing;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

public class PasswordSignInTests(PortalFactory portal) : IClassFixture<PortalFactory>
{
    private async Task<PasswordCheckResult> CheckAsync(string loginId, string password, string? sourceAddress = null)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PasswordSignIn>().CheckAsync(loginId, password, sourceAddress, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task An_unknown_id_is_answered_like_a_real_one_lock_message_included()
    {
        var customer = await portal.CreateCustomerAsync();
        var unknownId = "nobody" + Guid.NewGuid().ToString("N")[..8];
        var real = new List<PasswordCheckResult>();
        var unknown = new List<PasswordCheckResult>();
        for (var i = 0; i < 6; i++)
        {
            real.Add(await CheckAsync(customer.LoginId, "Wrong-pass-1"));
            unknown.Add(await CheckAsync(unknownId, "Wrong-pass-1"));
        }

        PasswordCheckOutcome[] expected = [.. Enumerable.Repeat(PasswordCheckOutcome.Failed, 4), PasswordCheckOutcome.LockedOut, PasswordCheckOutcome.LockedOut];
        Assert.Equal(expected, real.Select(r => r.Outcome));
        Assert.Equal(expected, unknown.Select(r => r.Outcome));
        // The lock message shows the same end time, to the minute.
        Assert.All(real.Zip(unknown).Where(p => p.First.LockedUntil is not null),
            p => Assert.InRange(p.Second.LockedUntil!.Value - p.First.LockedUntil!.Value, TimeSpan.FromMinutes(-1), TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task Staff_see_a_wrong_password_in_the_trail_and_the_failures_that_locked_the_customer()
    {
        var customer = await portal.CreateCustomerAsync();
        await CheckAsync(customer.LoginId, "Wrong-pass-1", "203.0.113.20");

        await using (var db = portal.Database.CreateContext())
        {
            var entry = Assert.Single(db.AuditEntries.Where(a => a.UserId == customer.UserId));
            Assert.Equal((AuditEvents.SignInPassword, AuditEvents.Failed, "203.0.113.20", AuditDetails.WrongPassword),
                (entry.Event, entry.Outcome, entry.SourceAddress, entry.Detail));
        }
        Assert.Equal(1, (await DetailAsync(customer.UserId)).Failures);

        for (var i = 0; i < 4; i++) await CheckAsync(customer.LoginId, "Wrong-pass-1");
        var locked = await DetailAsync(customer.UserId);
        Assert.NotNull(locked.LockedUntil);
        Assert.Equal(5, locked.Failures); // Identity clears its own count when it locks
    }

    private async Task<Portal.Admin.CustomerOtpDetail> DetailAsync(string userId)
    {
        await using var scope = portal.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<Portal.Admin.AdminOtpQueries>().GetDetailAsync(userId, TestContext.Current.CancellationToken))!;
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
        Assert.Equal(PasswordCheckOutcome.Failed, (await signIn.CheckAsync(customer.LoginId, "Wrong-pass-1", null, TestContext.Current.CancellationToken)).Outcome);
        Assert.Equal(PasswordCheckOutcome.Failed, (await signIn.CheckAsync(customer.LoginId, "Wrong-pass-1", null, TestContext.Current.CancellationToken)).Outcome);
        var third = await signIn.CheckAsync(customer.LoginId, "Wrong-pass-1", null, TestContext.Current.CancellationToken);
        Assert.Equal(PasswordCheckOutcome.LockedOut, third.Outcome);
        var expectedEnd = DateTimeOffset.UtcNow.AddMinutes(10);
        Assert.InRange(third.LockedUntil!.Value, expectedEnd.AddMinutes(-1), expectedEnd.AddMinutes(1));
    }
}

public class SignInThrottleTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new PortalFactory().With("SignIn:AttemptsPerMinutePerAddress", "3");

    public ValueTask InitializeAsync() => _portal.InitializeAsync();
    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    [Fact]
    public async Task One_address_gets_a_few_attempts_a_minute_others_are_not_held_up_and_a_refused_attempt_counts_nothing()
    {
        var cancel = TestContext.Current.CancellationToken;
        var customer = await _portal.CreateCustomerAsync();
        await using var scope = _portal.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<PasswordSignIn>();

        for (var i = 0; i < 3; i++)
            Assert.Equal(PasswordCheckOutcome.Failed, (await signIn.CheckAsync(customer.LoginId, "Wrong-pass-1", "203.0.113.9", cancel)).Outcome);
        Assert.Equal(PasswordCheckOutcome.Throttled, (await signIn.CheckAsync(customer.LoginId, customer.Password, "203.0.113.9", cancel)).Outcome);
        Assert.Equal(PasswordCheckOutcome.Throttled, (await signIn.CheckOtpAsync(
            new PendingOtpSignIn(customer.UserId, DateTimeOffset.UtcNow.AddMinutes(5)), "123456", "203.0.113.9", cancel)).Outcome);
        Assert.Equal(3, (await _portal.FindUserAsync(customer.UserId)).AccessFailedCount);

        Assert.Equal(PasswordCheckOutcome.Succeeded, (await signIn.CheckAsync(customer.LoginId, customer.Password, "203.0.113.10", cancel)).Outcome);
    }
}

public class PasswordCheckSlotTests : IAsyncLifetime
{
    private readonly PortalFactory _portal = new PortalFactory()
        .With("SignIn:ConcurrentPasswordChecks", "1")
        .With("SignIn:PasswordCheckQueue", "0");

    public ValueTask InitializeAsync() => _portal.InitializeAsync();
    public ValueTask DisposeAsync() => _portal.DisposeAsync();

    [Fact]
    public async Task When_every_password_check_slot_is_taken_an_attempt_is_told_the_service_is_busy_and_counts_nothing()
    {
        var cancel = TestContext.Current.CancellationToken;
        var customer = await _portal.CreateCustomerAsync();
        await using var scope = _portal.Services.CreateAsyncScope();
        var signIn = scope.ServiceProvider.GetRequiredService<PasswordSignIn>();

        using (var taken = await _portal.Services.GetRequiredService<SignInThrottle>().EnterPasswordCheckAsync(cancel))
        {
            Assert.True(taken.IsAcquired);
            Assert.Equal(PasswordCheckOutcome.Busy, (await signIn.CheckAsync(customer.LoginId, "Wrong-pass-1", "203.0.113.30", cancel)).Outcome);
            Assert.Equal(0, (await _portal.FindUserAsync(customer.UserId)).AccessFailedCount);
        }

        Assert.Equal(PasswordCheckOutcome.Succeeded, (await signIn.CheckAsync(customer.LoginId, customer.Password, "203.0.113.30", cancel)).Outcome);
    }
}
