using Microsoft.Extensions.Logging;

namespace Pipeline.Cli.Hosting;

/// <summary>
/// Copies log lines into the current run folder's <c>pipeline.log</c> while a run is attached; the run folder only
/// exists once the manifest is loaded, so the file is attached then.
/// </summary>
public sealed class RunLogFileProvider : ILoggerProvider
{
    private readonly Lock _gate = new();
    private StreamWriter? _writer;

    /// <summary>Starts appending to <paramref name="path"/>.</summary>
    public void Attach(string path)
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true };
        }
    }

    /// <summary>Stops writing to the file.</summary>
    public void Detach()
    {
        lock (_gate)
        {
            _writer?.Dispose();
            _writer = null;
        }
    }

    /// <summary>
    /// Appends a failure with its full stack trace to the attached file only (the console shows the message); returns
    /// whether a file was attached.
    /// </summary>
    public bool WriteFailure(string category, Exception exception)
    {
        lock (_gate)
        {
            if (_writer is null) return false;
            _writer.WriteLine($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {LogLevel.Error,-11} {category}: {exception.Message}{Environment.NewLine}{exception}");
            return true;
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose() => Detach();

    private void Write(string line)
    {
        lock (_gate) _writer?.WriteLine(line);
    }

    private sealed class FileLogger(RunLogFileProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            string shortCategory = category[(category.LastIndexOf('.') + 1)..];
            provider.Write($"{DateTime.UtcNow:yyyy-MM-ddTHH:mm:ss.fffZ} {logLevel,-11} {shortCategory}: {formatter(state, exception)}" +
                           (exception is null ? "" : Environment.NewLine + exception));
        }
    }
}
