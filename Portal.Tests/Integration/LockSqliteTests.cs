using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Portal.Data;
using Portal.Domain.Auditing;
using Portal.Identity;
using Portal.Tests.Support;

namespace Portal.Tests.Integration;

/// <summary>
/// The lock's and the counters' own statements on the embedded default, SQLite, where a DateTimeOffset is stored as
/// binary ticks and raw SQL gets its dates converted (ProviderValues): a failure counted, the lock set at exactly the
/// limit, a right password accepted only while unlocked, an unknown ID likewise, and a shared counter.
/// </summary>
public sealed class LockSqliteTests : SqlitePortalTests
{
    private async Task<PasswordCheckResult> SignInAsync(string loginId, string password)
    {
        await using var scope = Portal.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<PasswordSignIn>().CheckAsync(loginId, password, "192.0.2.50", Cancel);
    }

    [Fact]
    public async Task On_sqlite_failures_count_a_right_password_clears_them_and_a_parallel_burst_locks_at_exactly_five()
    {
        var customer = await Portal.CreateCustomerAsync();
        Assert.Equal(PasswordCheckOutcome.Failed, (await SignInAsync(customer.LoginId, "Wrong-pass-1")).Outcome);
        Assert.Equal(PasswordCheckOutcome.Failed, (await SignInAsync(customer.LoginId, "Wrong-pass-2")).Outcome);
        Assert.Equal(2, (await Portal.FindUserAsync(customer.UserId)).AccessFailedCount);
        Assert.Equal(PasswordCheckOutcome.Succeeded, (await SignInAsync(customer.LoginId, customer.Password)).Outcome);
        Assert.Equal(0, (await Portal.FindUserAsync(customer.UserId)).AccessFailedCount);

        var before = DateTimeOffset.UtcNow;
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => SignInAsync(customer.LoginId, $"Wrong-pass-{i}"), Cancel)));
        Assert.Equal(4, answers.Count(a => a.Outcome == PasswordCheckOutcome.Failed));
        Assert.Equal(8, answers.Count(a => a.Outcome == PasswordCheckOutcome.LockedOut));
        var user = await Portal.FindUserAsync(customer.UserId);
        Assert.Equal(0, user.AccessFailedCount);
        Assert.InRange(user.LockoutEnd!.Value, before.AddMinutes(30), DateTimeOffset.UtcNow.AddMinutes(30));
        Assert.All(answers.Where(a => a.Outcome == PasswordCheckOutcome.LockedOut), a => Assert.Equal(user.LockoutEnd, a.LockedUntil));

        var right = await SignInAsync(customer.LoginId, customer.Password);
        Assert.Equal((PasswordCheckOutcome.LockedOut, user.LockoutEnd), (right.Outcome, right.LockedUntil));
        await using var db = Portal.CreatePortalContext();
        Assert.Equal(1, await db.AuditEntries.CountAsync(a => a.UserId == customer.UserId && a.Event == AuditEvents.Locked, Cancel));
    }

    [Fact]
    public async Task On_sqlite_an_unknown_id_locks_at_exactly_five_and_a_counter_is_shared_by_its_key()
    {
        var unknown = "nobody" + Guid.NewGuid().ToString("N")[..8];
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() => SignInAsync(unknown, $"Wrong-pass-{i}"), Cancel)));
        Assert.Equal(4, answers.Count(a => a.Outcome == PasswordCheckOutcome.Failed));
        Assert.Equal(8, answers.Count(a => a.Outcome == PasswordCheckOutcome.LockedOut));
        Assert.Equal(PasswordCheckOutcome.LockedOut, (await SignInAsync(unknown, "Wrong-pass-x")).Outcome);

        var counters = Portal.Services.GetRequiredService<RateCounters>();
        var key = "test:" + Guid.NewGuid().ToString("N");
        Assert.True((await counters.CountAsync(key, 2, TimeSpan.FromMinutes(1), Cancel)).Allowed);
        Assert.True((await counters.CountAsync(key, 2, TimeSpan.FromMinutes(1), Cancel)).Allowed);
        var third = await counters.CountAsync(key, 2, TimeSpan.FromMinutes(1), Cancel);
        Assert.False(third.Allowed);
        Assert.InRange(third.RetryAfter, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(2));
        Assert.True((await counters.CountAsync("test:other", 2, TimeSpan.FromMinutes(1), Cancel)).Allowed);
    }
}
