using System.Diagnostics;
using System.Globalization;

namespace Pipeline.Tests.Metrics;

/// <summary>
/// Runs a short NumPy script with /usr/bin/python3 to get reference numbers. Values go in on stdin (one per line) and
/// come back on stdout (one per line, Python's repr, which round-trips doubles exactly). CI installs python3-numpy;
/// when it is missing the test fails saying so.
/// </summary>
internal static class NumPyReference
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="input"/> lines on stdin and parses its output lines as doubles.</summary>
    public static double[] Run(string script, IEnumerable<string> input)
    {
        if (!File.Exists(Python))
            throw new InvalidOperationException($"{Python} is missing; these reference tests need python3 with numpy (apt-get install python3-numpy).");
        var start = new ProcessStartInfo(Python, ["-c", script])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            foreach (string line in input) process.StandardInput.WriteLine(line);
            process.StandardInput.Close();
            if (!process.WaitForExit(60_000))
                throw new TimeoutException("The NumPy reference script did not finish within 60 s.");
            string errors = stderr.Result;
            if (process.ExitCode != 0)
            {
                string hint = errors.Contains("No module named 'numpy'") ? " numpy is missing: apt-get install python3-numpy." : "";
                throw new InvalidOperationException($"The NumPy reference script failed (exit {process.ExitCode}).{hint}\n{errors}");
            }
            return stdout.Result.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                                .Select(line => double.Parse(line, CultureInfo.InvariantCulture)).ToArray();
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>A double as text that Python's <c>float()</c> reads back exactly.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
