using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Portal.Tests.Support;

/// <summary>One log line as the portal wrote it: its event, the formatted message and every structured value.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message,
    IReadOnlyList<KeyValuePair<string, object?>> Values)
{
    public object? this[string name] => Values.FirstOrDefault(v => v.Key == name).Value;

    /// <summary>Everything a log sink (console, JSON) could print of this line.</summary>
    public string Text => string.Join('\n', Values.Select(v => $"{v.Key}={v.Value}").Prepend(Message));
}

/// <summary>Keeps every log line of a portal, for tests that read what operators would see.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _lines = new();

    public IReadOnlyCollection<CapturedLog> Lines => _lines;

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

    public void Dispose() { }

    private sealed class Logger(string category, ConcurrentQueue<CapturedLog> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception),
                state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }
}
