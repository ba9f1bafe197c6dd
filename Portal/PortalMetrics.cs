using System.Diagnostics.Metrics;

namespace Portal;

/// <summary>
/// The portal's own counters, meter <c>Kitashin.Portal</c>, scraped beside ASP.NET Core's and Npgsql's. Only
/// <see cref="SecurityLog"/> adds to them, in the call that logs the event, so the log and the numbers cannot drift.
/// </summary>
public sealed class PortalMetrics
{
    public const string MeterName = "Kitashin.Portal";

    public PortalMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        SignIns = meter.CreateCounter<long>("kitashin.sign_ins", "{attempt}",
            "Steps of the ログイン画面 by step (password, code) and outcome.");
        OtpFailures = meter.CreateCounter<long>("kitashin.otp.failures", "{code}",
            "Refused one-time codes that count toward the lock, by purpose and reason (wrong, replay).");
        OtpReplays = meter.CreateCounter<long>("kitashin.otp.replays", "{code}",
            "Codes refused because they were already used, by purpose.");
        AccountLocks = meter.CreateCounter<long>("kitashin.account.locks", "{lock}",
            "Locks set by consecutive failures, for real and for unknown login IDs.");
        Payments = meter.CreateCounter<long>("kitashin.payeasy.payments", "{payment}",
            "Pay-easy payments whose 取引認証 passed, by outcome (accepted, or why refused).");
    }

    internal Counter<long> SignIns { get; }
    internal Counter<long> OtpFailures { get; }
    internal Counter<long> OtpReplays { get; }
    internal Counter<long> AccountLocks { get; }
    internal Counter<long> Payments { get; }
}
