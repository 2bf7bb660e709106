using System.Diagnostics;
using System.Text.Json;

namespace Pipeline.Tests.Imaging.Geometry;

/// <summary>
/// Runs a short script with /usr/bin/python3 (numpy and nibabel, no torch) to get reference values. CI installs
/// them; when missing, the test fails with a message naming what to install.
/// </summary>
public static class PythonReference
{
    private const string Interpreter = "/usr/bin/python3";

    /// <summary>Runs <paramref name="script"/> with <paramref name="input"/> as JSON on stdin and parses its stdout as JSON.</summary>
    public static JsonElement Run(string script, object input)
    {
        if (!File.Exists(Interpreter))
            Assert.Fail($"{Interpreter} is missing; these reference tests need python3 with numpy and nibabel (Debian: python3-numpy python3-nibabel)");
        var start = new ProcessStartInfo(Interpreter)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(script);
        using var process = Process.Start(start)!;
        try
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(JsonSerializer.Serialize(input));
            process.StandardInput.Close();
            if (!process.WaitForExit(60_000))
                Assert.Fail("the python reference script did not finish within 60 s");
            var error = stderr.GetAwaiter().GetResult();
            if (process.ExitCode != 0)
            {
                var hint = error.Contains("ModuleNotFoundError") ? " (install python3-numpy and python3-nibabel)" : "";
                Assert.Fail($"the python reference script failed{hint}: {error}");
            }
            return JsonDocument.Parse(stdout.GetAwaiter().GetResult()).RootElement.Clone();
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
