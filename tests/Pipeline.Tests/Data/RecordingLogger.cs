using Microsoft.Extensions.Logging;

namespace Pipeline.Tests.Data;

/// <summary>Keeps every formatted log message with its level, for assertions about warnings.</summary>
public sealed class RecordingLogger : ILogger
{
    /// <summary>The messages logged so far.</summary>
    public List<(LogLevel Level, string Message)> Entries { get; } = [];

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        Entries.Add((logLevel, formatter(state, exception)));
}
