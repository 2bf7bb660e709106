using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Engine;

namespace Pipeline.Cli.Hosting;

/// <summary>
/// Shows progress of long stages: one live, rewritten line (iteration, values, rate, ETA) on an interactive terminal;
/// plain log lines when output is redirected or <c>CI=true</c>, so logs stay readable.
/// </summary>
public sealed class ConsoleProgressSink(ILogger<ConsoleProgressSink> logger, TextWriter terminal, bool interactive) : IProgressSink
{
    private readonly Dictionary<string, (Stopwatch Clock, long FirstStep)> _started = new();
    private int _lastLineLength;

    /// <summary>True when stdout and stderr are a terminal and CI is not set.</summary>
    public static bool IsInteractiveConsole() =>
        !Console.IsErrorRedirected && !Console.IsOutputRedirected &&
        !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public void Report(ProgressUpdate update)
    {
        if (!_started.TryGetValue(update.Stage, out var start))
            _started[update.Stage] = start = (Stopwatch.StartNew(), update.Step);
        double seconds = start.Clock.Elapsed.TotalSeconds;
        long done = update.Step - start.FirstStep;
        double rate = seconds > 0 && done > 0 ? done / seconds : 0;
        string eta = rate > 0 ? TimeSpan.FromSeconds((update.Total - update.Step) / rate).ToString(@"hh\:mm\:ss") : "--:--:--";
        string values = string.Join(" ", update.Values.Select(v => $"{v.Key}={v.Value.ToString("0.####", CultureInfo.InvariantCulture)}"));
        string text = $"[{update.Stage}] {update.Step}/{update.Total} {values} {rate.ToString("0.00", CultureInfo.InvariantCulture)} it/s ETA {eta}";
        if (interactive)
        {
            terminal.Write("\r" + text.PadRight(_lastLineLength));
            terminal.Flush();
            _lastLineLength = text.Length;
        }
        else
        {
            logger.LogInformation("{Progress}", text);
        }
    }

    /// <inheritdoc />
    public void Complete(string stage)
    {
        _started.Remove(stage);
        if (interactive && _lastLineLength > 0)
        {
            terminal.WriteLine();
            _lastLineLength = 0;
        }
    }
}
