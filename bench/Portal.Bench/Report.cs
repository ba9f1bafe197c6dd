using System.Globalization;
using System.Text;

namespace Portal.Bench;

/// <summary>
/// The issue's table, one row per goal, measured in this run (with the anchors measured in the same run), and the
/// detail tables behind some rows. Printed as Markdown and written into README between the markers.
/// </summary>
internal sealed class Report
{
    public const string Begin = "<!-- bench/run: begin (generated, do not edit) -->";
    public const string End = "<!-- bench/run: end -->";

    private readonly List<(string What, string Measured, string Anchor, string Goal, bool Met)> _rows = [];
    private readonly List<(string Heading, List<string> Lines)> _details = [];
    private readonly List<string> _notes = [];

    public void Row(string what, string measured, string anchor, string goal, bool met)
    {
        _rows.Add((what, measured, anchor, goal, met));
        Console.WriteLine($"{(met ? "met    " : "NOT MET")}  {what}: {measured} (goal {goal})");
    }

    /// <summary>A detail table with those columns after the first: median ms, p95 ms, allocated KB per call.</summary>
    public List<string> Detail(string heading, string columns = "median ms | p95 ms | allocated KB / call")
    {
        var lines = new List<string>
        {
            $"| {heading} | {columns} |",
            "| --- |" + string.Concat(Enumerable.Repeat(" ---: |", columns.Split('|').Length)),
        };
        _details.Add((heading, lines));
        return lines;
    }

    public void Note(string note)
    {
        _notes.Add(note);
        Console.WriteLine(note);
    }

    public string Markdown(string machine, string load)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured by `bench/run` on {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC. Machine: {machine}. Load: {load}.");
        text.AppendLine();
        text.AppendLine("| what | measured | anchor (same run) | goal | met |");
        text.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var (what, measured, anchor, goal, met) in _rows)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {what} | {measured} | {anchor} | {goal} | {(met ? "yes" : "**no**")} |");
        foreach (var (_, lines) in _details)
        {
            text.AppendLine();
            foreach (var line in lines) text.AppendLine(line);
        }
        if (_notes.Count > 0)
        {
            text.AppendLine();
            foreach (var note in _notes) text.AppendLine("- " + note);
        }
        return text.ToString();
    }

    /// <summary>Replaces what stands between the markers in README with <paramref name="markdown"/>.</summary>
    public static void WriteInto(string readme, string markdown)
    {
        var text = File.ReadAllText(readme);
        var begin = text.IndexOf(Begin, StringComparison.Ordinal);
        var end = text.IndexOf(End, StringComparison.Ordinal);
        if (begin < 0 || end < begin) throw new InvalidOperationException($"{readme} lacks the markers {Begin} … {End}");
        File.WriteAllText(readme, text[..(begin + Begin.Length)] + "\n" + markdown + text[end..]);
    }
}
