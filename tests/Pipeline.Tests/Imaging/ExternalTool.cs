using System.ComponentModel;
using System.Diagnostics;

namespace Pipeline.Tests.Imaging;

/// <summary>
/// Runs the independent tools the imaging tests compare against (Debian's <c>/usr/bin/python3</c> with nibabel,
/// <c>nifti_tool</c>). CI installs them (.ci/run); when one is missing the test fails with a message naming the
/// Debian package to install.
/// </summary>
public static class ExternalTool
{
    /// <summary>Debian's Python, which has nibabel and numpy (the <c>python3</c> on PATH may be another one).</summary>
    public const string Python = "/usr/bin/python3";

    /// <summary>Runs <paramref name="tool"/> and returns its standard output; fails on a non-zero exit code or a timeout.</summary>
    /// <param name="tool">Executable name or path.</param>
    /// <param name="arguments">Arguments, passed verbatim.</param>
    /// <param name="debianPackage">The package that provides the tool, for the error message.</param>
    /// <param name="workingDirectory">Where to run it (default: the current directory).</param>
    /// <param name="timeoutSeconds">How long it may take.</param>
    public static string Run(string tool, IEnumerable<string> arguments, string debianPackage, string? workingDirectory = null, int timeoutSeconds = 120)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{tool}' is needed by this test but could not be started ({e.Message}); install it with 'apt-get install {debianPackage}' (CI does this in .ci/run).", e);
        }
        using (process)
        {
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync();
                var stderr = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(TimeSpan.FromSeconds(timeoutSeconds)))
                    throw new TimeoutException($"'{tool} {string.Join(' ', start.ArgumentList)}' did not finish within {timeoutSeconds} s.");
                process.WaitForExit();
                if (process.ExitCode != 0)
                    throw new InvalidOperationException(
                        $"'{tool} {string.Join(' ', start.ArgumentList)}' exited with {process.ExitCode}: {stderr.Result.Trim()}" +
                        (stderr.Result.Contains("No module named") ? $" (install {debianPackage})" : ""));
                return stdout.Result;
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
        }
    }
}
