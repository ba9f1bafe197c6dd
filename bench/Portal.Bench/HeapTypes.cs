using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Runtime;

namespace Portal.Bench;

/// <summary>
/// What the idle circuits keep (bench/run --only heap): a dump of the published portal with all the circuits and one after
/// the extra ones closed, each taken right after the heap probe's compacting collection (the heap row counts what closing
/// them freed). ClrMD marks the objects reachable from the roots in each; the difference per circuit is listed by type,
/// by owner and by both. An object's owner is the nearest object on the shortest path from a root that is a component
/// (named by its ComponentState), the RemoteRenderer, a type of the portal's or MudBlazor's, or else (under a root or
/// another such) a type of ASP.NET Core's.
/// </summary>
internal static class HeapTypes
{
    private const int Listed = 40;

    /// <summary>A dump with the managed heap (the runtime's createdump, through its diagnostics port).</summary>
    public static string Dump(int processId, string name)
    {
        var path = Path.Combine(Path.GetTempPath(), $"kitashin-heap-{processId}-{name}.dmp");
        new DiagnosticsClient(processId).WriteDump(DumpType.WithHeap, path, logDumpGeneration: false);
        return path;
    }

    /// <summary>Detail tables of what the objects live in <paramref name="all"/> and not in <paramref name="fewer"/> weigh per circuit.</summary>
    public static void Compare(string fewer, string all, int circuits, Report report)
    {
        var (fewerTypes, fewerOwners, fewerPairs) = Live(fewer);
        var (allTypes, allOwners, allPairs) = Live(all);
        Table(report, $"live objects per circuit, by type ({circuits} circuits; top {Listed} by bytes)", "type", fewerTypes, allTypes, circuits);
        Table(report, $"live objects per circuit, by owner ({circuits} circuits; top {Listed} by bytes)", "owner", fewerOwners, allOwners, circuits);
        Table(report, $"live objects per circuit, by owner and type ({circuits} circuits; top {Listed} by bytes)", "owner: type", fewerPairs, allPairs, circuits);
    }

    private static void Table(Report report, string heading, string what, Dictionary<string, (long Count, long Bytes)> fewer,
        Dictionary<string, (long Count, long Bytes)> all, int circuits)
    {
        // Also what only the fewer have (a negative difference): a cache that filled meanwhile, say.
        var diff = all.Keys.Union(fewer.Keys).Select(key =>
        {
            var (count, bytes) = all.GetValueOrDefault(key);
            var (countBefore, bytesBefore) = fewer.GetValueOrDefault(key);
            return (Name: key, Count: (count - countBefore) / (double)circuits, Bytes: (bytes - bytesBefore) / (double)circuits);
        }).ToList();
        var table = report.Detail(heading, $"{what} | objects | bytes");
        table.Add($"| all | | {diff.Sum(d => d.Count):F1} | {diff.Sum(d => d.Bytes):F0} |");
        foreach (var (name, count, bytes) in diff.OrderByDescending(d => d.Bytes).Take(Listed))
            table.Add($"| | {name.Replace("|", "\\|", StringComparison.Ordinal)} | {count:F1} | {bytes:F0} |");
    }

    /// <summary>Objects reachable from the roots, by type, by owner and by both: count and bytes.</summary>
    private static (Dictionary<string, (long, long)> Types, Dictionary<string, (long, long)> Owners, Dictionary<string, (long, long)> Pairs) Live(string dump)
    {
        using var target = DataTarget.LoadDump(dump);
        // The runtime's own DAC, beside the libcoreclr.so the dump names (ClrMD downloads none on Linux). The dump
        // does not carry that module's version, so ClrMD cannot match it: it is the very runtime the portal ran on.
        var clr = target.ClrVersions[0];
        using var runtime = clr.CreateRuntime(Path.Combine(Path.GetDirectoryName(clr.ModuleInfo.FileName)!, "libmscordaccore.so"), ignoreMismatch: true);
        var heap = runtime.Heap;
        var types = new Dictionary<string, (long, long)>();
        var owners = new Dictionary<string, (long, long)>();
        var pairs = new Dictionary<string, (long, long)>();
        // Breadth first: each object's owner is inherited along the shortest path that reached it first.
        var owner = new Dictionary<ulong, string>();
        var queue = new Queue<ClrObject>();
        foreach (var root in heap.EnumerateRoots())
            if (root.Object.IsValid && owner.TryAdd(root.Object.Address, "(root) " + root.RootKind))
                queue.Enqueue(root.Object);
        while (queue.TryDequeue(out var item))
        {
            if (item.Type is not { } type) continue;
            var name = type.Name ?? "(unknown)";
            var inherited = owner[item.Address];
            var mine = OwnerName(item, inherited) ?? inherited;
            Add(types, name, (long)item.Size);
            Add(owners, mine, (long)item.Size);
            Add(pairs, $"{mine}: {name}", (long)item.Size);
            foreach (var reference in item.EnumerateReferences(carefully: true, considerDependantHandles: true))
                if (owner.TryAdd(reference.Address, mine)) queue.Enqueue(reference);
        }
        return (types, owners, pairs);
    }

    private static void Add(Dictionary<string, (long Count, long Bytes)> totals, string key, long bytes)
    {
        var (count, sum) = totals.GetValueOrDefault(key);
        totals[key] = (count + 1, sum + bytes);
    }

    /// <summary>
    /// The owner this object names for what it reaches first, or null to pass its own owner on: a component, a type of
    /// the portal's or MudBlazor's; an ASP.NET Core type only under a root or another such type.
    /// </summary>
    private static string? OwnerName(ClrObject item, string inherited)
    {
        if (item.Type is not { Name: { } name }) return null;
        if (name == "Microsoft.AspNetCore.Components.Rendering.ComponentState" ||
            name.StartsWith("Microsoft.AspNetCore.Components.Server.Circuits.RemoteRenderer", StringComparison.Ordinal))
            return name == "Microsoft.AspNetCore.Components.Rendering.ComponentState"
                ? "component " + (item.ReadObjectField("<Component>k__BackingField").Type?.Name ?? "?")
                : "RemoteRenderer";
        if (name.StartsWith("Portal.", StringComparison.Ordinal) || name.StartsWith("MudBlazor.", StringComparison.Ordinal))
            return Generic(name) ? null : name;
        if (name.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal) || name.StartsWith("Microsoft.Extensions.DependencyInjection.", StringComparison.Ordinal))
            return Generic(name) || !(inherited.StartsWith("(root)", StringComparison.Ordinal) || inherited.StartsWith("[asp]", StringComparison.Ordinal))
                ? null : "[asp] " + name;
        return null;

        // Collections and delegates pass their holder on.
        static bool Generic(string type) => type.Contains('<', StringComparison.Ordinal) && type.Contains("Dictionary", StringComparison.Ordinal);
    }
}
