using System.Diagnostics;

namespace Portal.Bench;

/// <summary>Timed calls: warm-up first (plans, pools, JIT), then the timed ones, sorted.</summary>
internal static class Timing
{
    public static async Task<List<double>> MillisecondsAsync(Func<int, Task> call, int timed, int warmUp = 3)
    {
        for (var i = 0; i < warmUp; i++) await call(-1 - i);
        var times = new List<double>(timed);
        for (var i = 0; i < timed; i++)
        {
            var watch = Stopwatch.StartNew();
            await call(i);
            times.Add(watch.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        return times;
    }

    /// <summary>The value at that fraction of a sorted list (nearest rank).</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Count) - 1, 0, sorted.Count - 1)];

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
