using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using Portal.Hosting;

namespace Portal.Identity;

/// <summary>
/// Sign-in attempts per source address (SignIn:AttemptsPerMinutePerAddress): one address can no longer lock ID after ID
/// at machine speed. Attempts run in the circuit, not as HTTP requests, so the rate-limiting middleware cannot see them.
/// A throttled attempt spends no hash and counts toward no lock.
/// </summary>
public sealed class SignInThrottle(IOptions<SignInSettings> settings) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetSlidingWindowLimiter(address, _ => new SlidingWindowRateLimiterOptions
        {
            PermitLimit = settings.Value.AttemptsPerMinutePerAddress,
            Window = TimeSpan.FromMinutes(1),
            SegmentsPerWindow = 6,
            QueueLimit = 0,
        }));

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

    /// <summary>False when the address has used up its attempts for the moment.</summary>
    public bool TryAttempt(string? sourceAddress)
    {
        using var lease = _limiter.AttemptAcquire(sourceAddress ?? "unknown");
        return lease.IsAcquired;
    }

    public void Dispose()
    {
        _limiter.Dispose();
        _passwordChecks.Dispose();
    }
}
