using System.Diagnostics;
using System.Globalization;

namespace Portal.Bench;

/// <summary>
/// bench/run: every row of issue 14's performance table in one run, each against its anchor measured in the same run.
/// Arguments: the PostgreSQL server's connection string; --publish DIR (the Release publish of the portal);
/// --pg-log FILE (the server's log, for counting statements); --readme FILE (to write the table into);
/// --only admin,signin,otp,browser (a part, to try a change), or heap (the circuits' rows with what they keep, by type
/// and owner, from two dumps of the portal: <see cref="HeapTypes"/>); --reuse (the admin seed of the last run).
/// </summary>
internal static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        var server = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal)
            ? args[0]
            : throw new ArgumentException("the first argument is the connection string of a PostgreSQL server");
        string? Option(string name) => Array.IndexOf(args, name) is >= 0 and var i && i + 1 < args.Length ? args[i + 1] : null;
        var only = Option("--only")?.Split(',') ?? ["admin", "signin", "otp", "browser"];
        var report = new Report();
        var load = new List<string> { Load() };
        var watch = Stopwatch.StartNew();

        if (only.Contains("admin")) await new DatabaseBench(server, args.Contains("--reuse"), report).RunAsync();
        if (only.Contains("signin") || only.Contains("otp") || only.Contains("browser") || only.Contains("heap"))
        {
            await using var portal = await InProcessPortal.StartAsync(server);
            if (only.Contains("signin")) await new SignInBench(portal, report).RunAsync();
            if (only.Contains("otp")) await new OtpClaimBench(portal, report).RunAsync();
            if (only.Contains("heap") && !only.Contains("browser"))
            {
                var customers = await portal.CreateCustomersAsync("h", BrowserBench.Circuits + BrowserBench.WarmCircuits);
                await portal.DisposeAsync();
                await new BrowserBench(server, Option("--publish") ?? throw new ArgumentException("--publish DIR"),
                    Option("--pg-log"), report).HeapTypesAsync(customers);
            }
            if (only.Contains("browser"))
            {
                var customers = await portal.CreateCustomersAsync("w", BrowserBench.Circuits + BrowserBench.WarmCircuits + 1);
                var tokens = await portal.IssueTokensAsync(BrowserBench.TokenAppRuns);
                await portal.DisposeAsync(); // nothing of the bench's own may run while the published portal is measured
                await new BrowserBench(server, Option("--publish") ?? throw new ArgumentException("--publish DIR"),
                    Option("--pg-log"), report).RunAsync(customers, tokens);
            }
        }
        load.Add(Load());

        var markdown = report.Markdown(Machine(), $"load average {string.Join(" → ", load)} (1, 5, 15 min) from start to end; " +
            $"the run took {watch.Elapsed.TotalMinutes:F0} min");
        Console.WriteLine();
        Console.WriteLine(markdown);
        // A part's table would replace the whole one: only a full run writes README.
        if (Option("--readme") is { } readme && Option("--only") is null)
        {
            Report.WriteInto(readme, markdown);
            Console.WriteLine($"Written into {readme}.");
        }
        return 0;
    }

    private static string Load() => File.Exists("/proc/loadavg")
        ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3))
        : "unknown";

    private static string Machine()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        var memory = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1024.0 * 1024 * 1024);
        return $"{Environment.ProcessorCount} cores ({model ?? "unknown CPU"}), {memory:F0} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, " +
            $".NET {Environment.Version}, shared with other engineers' builds";
    }
}
