using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Data;
using Portal.Hosting;

namespace Portal.Identity;

/// <summary>
/// Sign-in attempts per source address (SignIn:AttemptsPerMinutePerAddress): one address can no longer lock ID after ID
/// at machine speed. Attempts run in the circuit, not as HTTP requests, so the rate-limiting middleware cannot see them.
/// They are counted in the database (<see cref="RateCounters"/>), so every instance spends the same budget. A throttled
/// attempt spends no hash and counts toward no lock. The password-check slots stay in memory: they guard this
/// instance's CPU.
/// </summary>
public sealed class SignInThrottle(IOptions<SignInSettings> settings, RateCounters counters) : IDisposable
{
    /// <summary>The window of SignIn:AttemptsPerMinutePerAddress.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrencyLimiter _passwordChecks = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = settings.Value.ConcurrentPasswordChecks > 0
            ? settings.Value.ConcurrentPasswordChecks
            : Math.Max(1, Environment.ProcessorCount / 2),
        QueueLimit = settings.Value.PasswordCheckQueue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    /// <summary>
    /// A slot for one password check (a full PBKDF2 hash): at most SignIn:ConcurrentPasswordChecks at once (default
    /// half the cores), the next SignIn:PasswordCheckQueue waiting in order; beyond that the lease is not acquired.
    /// </summary>
    public ValueTask<RateLimitLease> EnterPasswordCheckAsync(CancellationToken cancellationToken) =>
        _passwordChecks.AcquireAsync(1, cancellationToken);

    /// <summary>Counts the attempt; false when the address has used up its attempts for the moment.</summary>
    public async Task<bool> TryAttemptAsync(string? sourceAddress, CancellationToken cancellationToken = default) =>
        (await counters.CountAsync("signin:" + (sourceAddress ?? "unknown"), settings.Value.AttemptsPerMinutePerAddress, Window,
            cancellationToken)).Allowed;

    public void Dispose() => _passwordChecks.Dispose();
}
