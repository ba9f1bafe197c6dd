using System.Diagnostics;
using System.Net;
using System.Runtime;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portal.Identity;

namespace Portal.Bench;

/// <summary>
/// Password sign-ins per second with 2 workers, from the password check (PasswordSignIn.CheckAsync: throttle, slot, user
/// row, PBKDF2, ticket) through /account/signin (ticket redeemed, session row inserted, cookie set), against the
/// anchor: bare PBKDF2-SHA512 with 100,000 iterations, Identity's own hash, on 2 threads, in the same process.
/// </summary>
internal sealed class SignInBench(InProcessPortal portal, Report report)
{
    private const int Workers = 2;
    private const int Rounds = 3;
    private const int SlicePairs = 8;
    private static readonly TimeSpan Slice = TimeSpan.FromSeconds(1.5);

    public async Task RunAsync()
    {
        var customers = await portal.CreateCustomersAsync("s", 40);
        // One password check at a time per worker: the slots (SignIn:ConcurrentPasswordChecks) set to the cores, so the
        // ratio is what the path costs beyond the hash. The default (half the cores) is measured after.
        await using var asManyAsCores = portal.With("SignIn:ConcurrentPasswordChecks", Workers.ToString());
        var counter = 0;
        Func<int, Task> signIn = _ => SignInAsync(asManyAsCores, customers, Interlocked.Increment(ref counter));
        var warmUp = await WarmUpAsync(signIn);

        var ratios = new List<double>();
        var rows = new List<string>();
        var compiledBefore = JitInfo.GetCompiledMethodCount();
        for (var round = 1; round <= Rounds; round++)
        {
            var (path, anchor) = await AlternatingAsync(signIn);
            ratios.Add(path.Rate / anchor.Rate);
            rows.Add($"| round {round}, slots = {Workers} | {path.Rate:F1} | {anchor.Rate:F1} | {path.Rate / anchor.Rate:F2} | {path.CpuPerCall:F1} | {anchor.CpuPerCall:F1} |");
        }
        var compiledInRounds = JitInfo.GetCompiledMethodCount() - compiledBefore;
        var table = report.Detail($"password sign-in, {Workers} workers ({SlicePairs} × {Slice.TotalSeconds} s of each, alternating; after " +
            (warmUp.Quiet
                ? $"{warmUp.Seconds:F0} s of warm-up, until the JIT compiled fewer than {QuietJit} methods in a pair of slices"
                : $"the longest warm-up, {warmUp.Seconds:F0} s, with the JIT not yet quiet") +
            $": {warmUp.Methods:N0} methods compiled in it, {compiledInRounds:N0} in the three rounds)",
            "sign-ins / s | PBKDF2 hashes / s | ratio | CPU ms per sign-in | CPU ms per hash");
        table.AddRange(rows);
        var (byDefault, itsAnchor) = await AlternatingAsync(_ => SignInAsync(portal, customers, Interlocked.Increment(ref counter)));
        table.Add($"| default slots ({Math.Max(1, Environment.ProcessorCount / 2)} on {Environment.ProcessorCount} cores) | {byDefault.Rate:F1} | {itsAnchor.Rate:F1} | {byDefault.Rate / itsAnchor.Rate:F2} | {byDefault.CpuPerCall:F1} | {itsAnchor.CpuPerCall:F1} |");

        var median = Timing.Median(ratios);
        report.Row("password sign-in path, 2 workers, vs raw PBKDF2 (through the session insert and the cookie)",
            $"{median:F2} (median of {Rounds}; min {ratios.Min():F2}) with SignIn:ConcurrentPasswordChecks = {Workers}; " +
            $"{byDefault.Rate / itsAnchor.Rate:F2} with the default slots",
            "PBKDF2-SHA512 100k on 2 threads", "≥ 0.90", median >= 0.90);

        await FloodAsync(customers);
    }

    private const int FloodLoops = 16;
    private const int PageLoads = 60;

    /// <summary>
    /// What the password slots are for: a signed-in customer's page loads (the menu, prerendered, the session checked)
    /// while <see cref="FloodLoops"/> loops send sign-in attempts of unknown IDs from ever new addresses (each spends a
    /// hash), with the default slots and with the cap lifted (64 slots), each against the same page loads with no flood.
    /// Not a goal of the table: the evidence for the slots, in a detail table.
    /// </summary>
    private async Task FloodAsync(List<BenchCustomer> customers)
    {
        var table = report.Detail($"menu page load of a signed-in customer, {PageLoads} loads 50 ms apart, while {FloodLoops} loops send sign-in attempts",
            "median ms | p95 ms | attempts answered / s | of them busy");
        await using (var capped = portal.With("SignIn:ConcurrentPasswordChecks", "0"))
            await FloodRowsAsync(capped, customers[0], $"default slots ({Math.Max(1, Environment.ProcessorCount / 2)}, queue 50)", table);
        await using (var uncapped = portal.With("SignIn:ConcurrentPasswordChecks", "64"))
            await FloodRowsAsync(uncapped, customers[1], "no cap (64 slots)", table);
    }

    private static async Task FloodRowsAsync(InProcessPortal portal, BenchCustomer customer, string label, List<string> table)
    {
        var cookie = await SignInAsync(portal, [customer], 0);
        using var client = portal.NewClient();
        async Task LoadMenuAsync(int _)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/");
            request.Headers.Add("Cookie", cookie);
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"the menu answered {(int)response.StatusCode}");
            await response.Content.ReadAsByteArrayAsync();
        }

        // Spread over a few seconds, as a customer clicks; each load is timed alone. The same with and without the flood.
        async Task<List<double>> TimedLoadsAsync()
        {
            var times = new List<double>(PageLoads);
            for (var i = 0; i < PageLoads; i++)
            {
                var load = Stopwatch.StartNew();
                await LoadMenuAsync(i);
                times.Add(load.Elapsed.TotalMilliseconds);
                await Task.Delay(50);
            }
            times.Sort();
            return times;
        }

        for (var i = 0; i < 10; i++) await LoadMenuAsync(i); // warm-up
        var quiet = await TimedLoadsAsync();
        table.Add($"| {label}: no attempts | {Timing.Median(quiet):F1} | {Timing.Percentile(quiet, 0.95):F1} | — | — |");

        using var stop = new CancellationTokenSource();
        int answered = 0, busy = 0, n = 0;
        var watch = Stopwatch.StartNew();
        var flood = Enumerable.Range(0, FloodLoops).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var i = Interlocked.Increment(ref n);
                await using var scope = portal.Services.CreateAsyncScope();
                var result = await scope.ServiceProvider.GetRequiredService<PasswordSignIn>()
                    .CheckAsync($"flood{i:D7}", "wrong-password", $"10.{(i >> 16) & 255}.{(i >> 8) & 255}.{i & 255}");
                Interlocked.Increment(ref answered);
                if (result.Outcome == PasswordCheckOutcome.Busy) Interlocked.Increment(ref busy);
            }
        })).ToList();
        await Task.Delay(TimeSpan.FromSeconds(2)); // the flood under way (and the thread pool grown to it)
        var answeredBefore = Volatile.Read(ref answered);
        var busyBefore = Volatile.Read(ref busy);
        watch.Restart();
        var flooded = await TimedLoadsAsync();
        var seconds = watch.Elapsed.TotalSeconds;
        var answeredInWindow = Volatile.Read(ref answered) - answeredBefore;
        var busyInWindow = Volatile.Read(ref busy) - busyBefore;
        await stop.CancelAsync();
        await Task.WhenAll(flood);
        table.Add($"| {label}: flood | {Timing.Median(flooded):F1} | {Timing.Percentile(flooded, 0.95):F1} | {answeredInWindow / seconds:F1} | {(answeredInWindow == 0 ? 0 : 100.0 * busyInWindow / answeredInWindow):F0} % |");
    }

    private const int QuietJit = 20;
    private static readonly TimeSpan LongestWarmUp = TimeSpan.FromSeconds(90);

    /// <summary>
    /// Sign-ins and hashes in alternating slices until the JIT is quiet. The runtime recompiles a method in the background
    /// once it has been called enough (tiered compilation, with its profile-guided step between). For the thousands of
    /// methods of the sign-in path that took 19–28 s here; a warm-up of 3 s left the compiler's thread busy during the
    /// measured rounds, taking CPU from whichever slice ran. A portal that has been up a while has long finished; this
    /// measures that.
    /// </summary>
    private static async Task<(double Seconds, long Methods, bool Quiet)> WarmUpAsync(Func<int, Task> signIn)
    {
        var watch = Stopwatch.StartNew();
        var first = JitInfo.GetCompiledMethodCount();
        var quiet = false;
        while (!quiet && watch.Elapsed < LongestWarmUp)
        {
            var before = JitInfo.GetCompiledMethodCount();
            await SliceAsync(signIn);
            await SliceAsync(_ => Task.Run(Pbkdf2));
            quiet = JitInfo.GetCompiledMethodCount() - before < QuietJit;
        }
        return (watch.Elapsed.TotalSeconds, JitInfo.GetCompiledMethodCount() - first, quiet);
    }

    /// <summary>
    /// The path and the anchor in alternating slices (anchor, path, path, anchor, …), so that the other work on this
    /// machine weighs on both alike; the rates are totals over all slices.
    /// </summary>
    private static async Task<((double Rate, double CpuPerCall) Path, (double Rate, double CpuPerCall) Anchor)> AlternatingAsync(Func<int, Task> path)
    {
        var sums = new (int Calls, double Seconds, double Cpu)[2];
        for (var i = 0; i < SlicePairs * 2; i++)
        {
            var isPath = (i % 4) is 1 or 2;
            var (calls, seconds, cpu) = await SliceAsync(isPath ? path : _ => Task.Run(Pbkdf2));
            var sum = sums[isPath ? 0 : 1];
            sums[isPath ? 0 : 1] = (sum.Calls + calls, sum.Seconds + seconds, sum.Cpu + cpu);
        }
        return ((sums[0].Calls / sums[0].Seconds, sums[0].Cpu / sums[0].Calls), (sums[1].Calls / sums[1].Seconds, sums[1].Cpu / sums[1].Calls));
    }

    /// <summary>Calls completed by <see cref="Workers"/> loops until the slice closes; its seconds; this process's CPU ms.</summary>
    private static async Task<(int Calls, double Seconds, double Cpu)> SliceAsync(Func<int, Task> call)
    {
        var done = 0;
        var process = System.Diagnostics.Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(async worker =>
        {
            while (watch.Elapsed < Slice)
            {
                await call(worker);
                Interlocked.Increment(ref done);
            }
        }));
        var seconds = watch.Elapsed.TotalSeconds;
        process.Refresh();
        return (done, seconds, (process.TotalProcessorTime - cpu).TotalMilliseconds);
    }

    private static readonly byte[] Salt = RandomNumberGenerator.GetBytes(16);

    /// <summary>What Identity's PasswordHasher (format v3) computes for one check.</summary>
    private static void Pbkdf2() =>
        Rfc2898DeriveBytes.Pbkdf2("Bench-s-1"u8, Salt, 100_000, HashAlgorithmName.SHA512, 32);

    /// <returns>The session cookie (name=value) the portal set.</returns>
    private static async Task<string> SignInAsync(InProcessPortal portal, List<BenchCustomer> customers, int n)
    {
        var customer = customers[n % customers.Count];
        // A new source address each time: the per-address throttle is not what is measured.
        var address = $"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}";
        await using var scope = portal.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredService<PasswordSignIn>().CheckAsync(customer.LoginId, customer.Password, address);
        if (result.Outcome != PasswordCheckOutcome.Succeeded) throw new InvalidOperationException($"sign-in of {customer.LoginId}: {result.Outcome}");

        // The antiforgery pair the ログイン画面's GET would have handed the browser.
        var tokens = scope.ServiceProvider.GetRequiredService<IAntiforgery>().GetAndStoreTokens(new DefaultHttpContext { RequestServices = scope.ServiceProvider, Request = { Scheme = "https", IsHttps = true } });
        var cookieName = scope.ServiceProvider.GetRequiredService<IOptions<AntiforgeryOptions>>().Value.Cookie.Name;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/account/signin")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = tokens.RequestToken!, ["ticket"] = result.Ticket!, ["returnUrl"] = "/",
            }),
        };
        request.Headers.Add("Cookie", $"{cookieName}={tokens.CookieToken}");
        using var client = portal.NewClient();
        using var response = await client.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location?.OriginalString != "/"
            || !response.Headers.TryGetValues("Set-Cookie", out var cookies) || cookies.FirstOrDefault(c => c.StartsWith("kitashin.session=", StringComparison.Ordinal)) is not { } cookie)
            throw new InvalidOperationException($"/account/signin answered {(int)response.StatusCode} {response.Headers.Location}");
        return cookie.Split(';', 2)[0];
    }
}
