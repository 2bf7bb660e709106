using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Pipeline.Cli.Cli;
using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline bench nifti-read FILE... [--repeats N] [--python PATH]</c>: reads each image N times (after one
/// untimed warm-up read) with <see cref="NiftiReader"/> and with nibabel (through the given Python, default Debian's
/// <c>/usr/bin/python3</c>) and prints a markdown table of throughput in MB/s of uncompressed voxel data: by wall
/// time (best and median over the repeats) and by CPU time of the process (best; on a shared machine CPU time is the
/// steadier measure, as it does not count time spent waiting for a core). nibabel is timed for <c>np.asanyarray(img.dataobj)</c> (the stored type, scaled when
/// the header says so, which is what <see cref="NiftiReader.Read"/> returns) and for <c>get_fdata()</c> (float64);
/// ours also with <see cref="NiftiImage.ToVolume"/> (float32 <c>[C, I, J, K]</c>).
/// </summary>
public sealed class BenchNiftiReadCommand(CliOutput output) : ICliCommand
{
    private const string DefaultPython = "/usr/bin/python3";

    /// <summary>Times nibabel in one process per file; prints one JSON object with [wall, cpu] seconds of every repeat.</summary>
    private const string NibabelScript = """
        import json, sys, time
        import numpy as np
        import nibabel as nib
        path, repeats = sys.argv[1], int(sys.argv[2])
        def dataobj():
            return np.asanyarray(nib.load(path).dataobj)
        def fdata():
            return nib.load(path).get_fdata()
        result = {}
        for name, read in (("dataobj", dataobj), ("fdata", fdata)):
            read()
            times = []
            for _ in range(repeats):
                wall, cpu = time.perf_counter(), time.process_time()
                read()
                times.append([time.perf_counter() - wall, time.process_time() - cpu])
            result[name] = times
        print(json.dumps(result))
        """;

    /// <inheritdoc />
    public string Name => "bench nifti-read";

    /// <inheritdoc />
    public string Usage => "pipeline bench nifti-read FILE... [--repeats 5] [--python /usr/bin/python3]";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["repeats", "python"];

    /// <inheritdoc />
    public async Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        if (line.Positionals.Count == 0) throw new CommandLineException($"expected at least one image FILE. Usage: {Usage}");
        var repeats = line.Value("repeats") is { } text
            ? int.TryParse(text, out var n) && n >= 1 ? n : throw new CommandLineException($"--repeats must be a positive integer, not '{text}'.")
            : 5;
        var python = line.Value("python") ?? DefaultPython;
        var files = line.Positionals.Select(Path.GetFullPath).ToList();
        foreach (var file in files)
            if (!File.Exists(file)) throw new UserFacingException($"image '{file}' does not exist.");

        output.Out.WriteLine("| file | shape | datatype | MB | ours: read | ours: read + ToVolume | nibabel: dataobj | nibabel: get_fdata |");
        output.Out.WriteLine("|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            NiftiHeader header;
            try
            {
                header = NiftiReader.ReadHeader(file);
            }
            catch (NiftiFormatException e)
            {
                throw new UserFacingException(e.Message, e);
            }
            var megabytes = header.VoxelCount * header.DataType!.Size / 1e6;
            var read = Time(repeats, () => { using var image = NiftiReader.Read(file); });
            var toVolume = Time(repeats, () =>
            {
                using var image = NiftiReader.Read(file);
                using var volume = image.ToVolume();
            });
            var nibabel = await TimeNibabelAsync(python, file, repeats, cancellationToken);
            output.Out.WriteLine(string.Join(" | ", [
                $"| {Path.GetFileName(file)}", string.Join("×", header.Shape), header.DataType.Name, megabytes.ToString("F1", CultureInfo.InvariantCulture),
                Rate(megabytes, read), Rate(megabytes, toVolume),
                nibabel is null ? "n/a" : Rate(megabytes, nibabel.Value.DataObj), nibabel is null ? "n/a" : Rate(megabytes, nibabel.Value.FData) + " |",
            ]));
        }
        output.Out.WriteLine($"MB/s of uncompressed voxel data: wall time best (median), then CPU time best, of {repeats} reads after one warm-up read; torch threads = {get_num_threads()}.");
        return 0;
    }

    private static (double Wall, double Cpu)[] Time(int repeats, Action read)
    {
        read();
        var process = Process.GetCurrentProcess();
        var seconds = new (double, double)[repeats];
        for (var n = 0; n < repeats; n++)
        {
            using var scope = NewDisposeScope();
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            read();
            var wall = watch.Elapsed.TotalSeconds;
            process.Refresh();
            seconds[n] = (wall, (process.TotalProcessorTime - cpu).TotalSeconds);
        }
        return seconds;
    }

    /// <summary>"wall best (wall median), cpu best" in MB/s.</summary>
    private static string Rate(double megabytes, (double Wall, double Cpu)[] seconds)
    {
        var walls = seconds.Select(s => s.Wall).Order().ToArray();
        var median = walls.Length % 2 == 1 ? walls[walls.Length / 2] : (walls[walls.Length / 2 - 1] + walls[walls.Length / 2]) / 2;
        var cpu = seconds.Min(s => s.Cpu);
        return string.Create(CultureInfo.InvariantCulture, $"{megabytes / walls[0]:F0} ({megabytes / median:F0}), cpu {megabytes / cpu:F0}");
    }

    private async Task<((double, double)[] DataObj, (double, double)[] FData)?> TimeNibabelAsync(string python, string file, int repeats, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "-c", NibabelScript, file, repeats.ToString(CultureInfo.InvariantCulture) }) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            output.Error.WriteLine($"nibabel not timed: '{python}' could not be started ({e.Message}).");
            return null;
        }
        using (process)
        {
            try
            {
                var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
                var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
                await process.WaitForExitAsync(cancellationToken);
                if (process.ExitCode != 0)
                {
                    output.Error.WriteLine($"nibabel not timed on {file}: {python} exited with {process.ExitCode}: {(await stderr).Trim()}");
                    return null;
                }
                using var document = JsonDocument.Parse(await stdout);
                (double, double)[] Seconds(string name) =>
                    document.RootElement.GetProperty(name).EnumerateArray().Select(v => (v[0].GetDouble(), v[1].GetDouble())).ToArray();
                return (Seconds("dataobj"), Seconds("fdata"));
            }
            finally
            {
                if (!process.HasExited) process.Kill(entireProcessTree: true);
            }
        }
    }
}
