using System.Diagnostics;

namespace Pipeline.Tests.Cli;

/// <summary>
/// A real <c>pipeline</c> process (the built pipeline.dll), its output read asynchronously. Disposing kills it if it
/// is still running, so a failed test never leaves a training process behind.
/// </summary>
internal sealed class PipelineProcess : IDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stdout;
    private readonly Task<string> _stderr;

    public PipelineProcess(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "pipeline.dll"), .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["CI"] = "true";
        _process = Process.Start(start)!;
        _stdout = _process.StandardOutput.ReadToEndAsync();
        _stderr = _process.StandardError.ReadToEndAsync();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Standard error; only once the process has ended (reading it earlier blocks until then).</summary>
    public string Error => _stderr.Result;

    /// <summary>Standard output; only once the process has ended.</summary>
    public string Output => _stdout.Result;

    /// <summary>Waits for the end (synchronously: an awaited wait needs a free xunit worker, which busy runs may lack).</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        Assert.True(_process.WaitForExit(timeout), $"the pipeline process did not end within {timeout.TotalSeconds} s");
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>Sends SIGKILL: the process gets no chance to save anything.</summary>
    public void Kill()
    {
        using (var kill = Process.Start("kill", ["-KILL", _process.Id.ToString()])) kill.WaitForExit();
        Assert.True(_process.WaitForExit(30_000), "the process survived SIGKILL for 30 s");
    }

    public void Dispose()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        _process.Dispose();
    }
}
