using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Pipeline.Core.IO;

/// <summary>
/// Fetches Debian packages into a per-user cache at first use and returns the folder they were unpacked into, so
/// data shipped in Debian packages (example images, atlases) can be used without being committed anywhere.
/// <c>apt-get download PACKAGE</c> fetches the <c>.deb</c> (no root needed, nothing is installed) and
/// <c>dpkg-deb -x</c> unpacks it; both run in a fresh temporary folder inside the cache, which is renamed to
/// <c>CACHE/PACKAGE</c> only when complete, so concurrent callers (test processes, pipeline runs) never see a
/// half-unpacked package: the first rename wins and the others discard their copy.
/// </summary>
public sealed partial class DebianPackageCache
{
    /// <summary>How long one <c>apt-get download</c> or <c>dpkg-deb</c> call may take.</summary>
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Uses <paramref name="root"/> as the cache folder (default: <see cref="DefaultRoot()"/>).</summary>
    /// <param name="root">The cache folder; created when missing.</param>
    /// <param name="aptGet">The apt-get executable (a name found on PATH, or a path).</param>
    /// <param name="dpkgDeb">The dpkg-deb executable.</param>
    public DebianPackageCache(string? root = null, string aptGet = "apt-get", string dpkgDeb = "dpkg-deb")
    {
        Root = Path.GetFullPath(root ?? DefaultRoot());
        AptGet = aptGet;
        DpkgDeb = dpkgDeb;
    }

    /// <summary>The cache folder; each package is unpacked into a subfolder named after it.</summary>
    public string Root { get; }

    /// <summary>The apt-get executable.</summary>
    public string AptGet { get; }

    /// <summary>The dpkg-deb executable.</summary>
    public string DpkgDeb { get; }

    /// <summary>
    /// <c>$XDG_CACHE_HOME/pipeline/debian-packages</c>, or <c>~/.cache/pipeline/debian-packages</c> when
    /// XDG_CACHE_HOME is unset.
    /// </summary>
    public static string DefaultRoot() =>
        DefaultRoot(Environment.GetEnvironmentVariable("XDG_CACHE_HOME"), Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    /// <summary>The default root for the given XDG_CACHE_HOME value (null or blank when unset) and home folder.</summary>
    public static string DefaultRoot(string? xdgCacheHome, string home) =>
        Path.Combine(string.IsNullOrWhiteSpace(xdgCacheHome) ? Path.Combine(home, ".cache") : xdgCacheHome, "pipeline", "debian-packages");

    /// <summary>Where <paramref name="package"/> is (or would be) unpacked: <c>Root/PACKAGE</c>.</summary>
    public string PackageFolder(string package) => Path.Combine(Root, CheckName(package));

    /// <summary>
    /// The folder <paramref name="package"/> is unpacked into (its files keep their absolute paths below it, e.g.
    /// <c>FOLDER/usr/share/...</c>), downloading and unpacking it first when it is not cached yet.
    /// </summary>
    /// <exception cref="ArgumentException">The name is not a valid Debian package name.</exception>
    /// <exception cref="InvalidOperationException">apt-get or dpkg-deb is missing, or the download or unpacking failed; the message says which and how to fix it.</exception>
    public string Fetch(string package, CancellationToken cancellationToken = default)
    {
        var target = PackageFolder(package);
        if (Directory.Exists(target)) return target;
        Directory.CreateDirectory(Root);
        var work = Path.Combine(Root, $".{package}.{Guid.NewGuid():N}.tmp");
        Directory.CreateDirectory(work);
        try
        {
            Run(AptGet, ["download", package], work, $"download the Debian package '{package}'", cancellationToken);
            var deb = Directory.GetFiles(work, "*.deb").SingleOrDefault()
                ?? throw new InvalidOperationException($"'{AptGet} download {package}' succeeded but left no .deb file in {work}.");
            var unpacked = Path.Combine(work, "root");
            Run(DpkgDeb, ["-x", deb, unpacked], work, $"unpack {Path.GetFileName(deb)}", cancellationToken);
            File.WriteAllText(Path.Combine(unpacked, ".package"), Path.GetFileName(deb) + "\n");
            try
            {
                Directory.Move(unpacked, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another process finished first; its copy is as good as ours.
            }
            return target;
        }
        finally
        {
            if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        }
    }

    /// <summary>The path of <paramref name="relativePath"/> inside the unpacked <paramref name="package"/>, fetching it if needed.</summary>
    /// <exception cref="FileNotFoundException">The package does not contain that file.</exception>
    public string FetchFile(string package, string relativePath, CancellationToken cancellationToken = default)
    {
        var path = Path.Combine(Fetch(package, cancellationToken), relativePath.TrimStart('/'));
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The Debian package '{package}' (unpacked in {PackageFolder(package)}) has no file '{relativePath}'.", path);
    }

    private static string CheckName(string package) =>
        PackageName().IsMatch(package)
            ? package
            : throw new ArgumentException($"'{package}' is not a Debian package name (lowercase letters, digits, '+', '-', '.'; at least two characters)", nameof(package));

    private static void Run(string tool, string[] arguments, string workingDirectory, string purpose, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(tool)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Cannot {purpose}: '{tool}' could not be started ({e.Message}). Fetching data from Debian packages needs apt-get and dpkg-deb (Debian or Ubuntu); " +
                "on other systems unpack the package by hand into the cache folder.", e);
        }
        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(ToolTimeout);
                process.WaitForExitAsync(timeout.Token).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                if (cancellationToken.IsCancellationRequested) throw;
                throw new InvalidOperationException($"Cannot {purpose}: '{tool} {string.Join(' ', arguments)}' took longer than {ToolTimeout.TotalMinutes} minutes.");
            }
            if (process.ExitCode != 0)
            {
                var output = (stderr.GetAwaiter().GetResult() + stdout.GetAwaiter().GetResult()).Trim();
                throw new InvalidOperationException(
                    $"Cannot {purpose}: '{tool} {string.Join(' ', arguments)}' exited with code {process.ExitCode}: {output}" +
                    (tool.EndsWith("apt-get", StringComparison.Ordinal) ? " (is the package name right, and are the package lists current? 'apt-get update' refreshes them)" : ""));
            }
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9+.-]+$")]
    private static partial Regex PackageName();
}
