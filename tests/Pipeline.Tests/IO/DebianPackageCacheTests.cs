using System.Diagnostics;
using Pipeline.Core.IO;

namespace Pipeline.Tests.IO;

/// <summary>
/// The cache of unpacked Debian packages, offline: a fake <c>apt-get</c> (a shell script that copies a .deb built
/// here with dpkg-deb) stands in for the download, so the tests need no network.
/// </summary>
public sealed class DebianPackageCacheTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("deb-cache-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>Builds tiny-data_1.0_all.deb holding usr/share/tiny/hello.txt, and an apt-get stand-in that "downloads" it after a pause.</summary>
    private string FakeAptGet(double pauseSeconds = 0)
    {
        var tree = Path.Combine(_folder, "tree");
        Directory.CreateDirectory(Path.Combine(tree, "DEBIAN"));
        Directory.CreateDirectory(Path.Combine(tree, "usr", "share", "tiny"));
        File.WriteAllText(Path.Combine(tree, "DEBIAN", "control"),
            "Package: tiny-data\nVersion: 1.0\nArchitecture: all\nMaintainer: tests <tests@example.org>\nDescription: test data\n");
        File.WriteAllText(Path.Combine(tree, "usr", "share", "tiny", "hello.txt"), "hello\n");
        var deb = Path.Combine(_folder, "tiny-data_1.0_all.deb");
        using (var build = Process.Start(new ProcessStartInfo("dpkg-deb", ["--build", "--root-owner-group", tree, deb]) { RedirectStandardOutput = true })!)
        {
            build.StandardOutput.ReadToEnd();
            build.WaitForExit();
            Assert.Equal(0, build.ExitCode);
        }
        var script = Path.Combine(_folder, "apt-get");
        File.WriteAllText(script, $"""
            #!/bin/sh
            [ "$1" = download ] || exit 64
            [ "$2" = tiny-data ] || {"{"} echo "E: Unable to locate package $2" >&2; exit 100; {"}"}
            sleep {pauseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture)}
            cp '{deb}' .
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return script;
    }

    [Fact]
    public void FetchesUnpacksAndThenServesFromTheCache()
    {
        var cache = new DebianPackageCache(Path.Combine(_folder, "cache"), FakeAptGet());
        var file = cache.FetchFile("tiny-data", "usr/share/tiny/hello.txt");
        Assert.Equal("hello\n", File.ReadAllText(file));
        Assert.Equal(Path.Combine(_folder, "cache", "tiny-data"), cache.PackageFolder("tiny-data"));

        var offline = new DebianPackageCache(Path.Combine(_folder, "cache"), "/nonexistent/apt-get");
        Assert.Equal(file, offline.FetchFile("tiny-data", "usr/share/tiny/hello.txt"));
        Assert.Throws<FileNotFoundException>(() => offline.FetchFile("tiny-data", "usr/share/tiny/absent.txt"));
    }

    [Fact]
    public void ConcurrentFetchesAgreeAndLeaveNoTemporaryFolders()
    {
        var root = Path.Combine(_folder, "cache");
        var aptGet = FakeAptGet(pauseSeconds: 0.5);
        var folders = Enumerable.Range(0, 4).AsParallel().WithDegreeOfParallelism(4)
            .Select(_ => new DebianPackageCache(root, aptGet).Fetch("tiny-data")).ToList();
        Assert.Single(folders.Distinct());
        Assert.Equal("hello\n", File.ReadAllText(Path.Combine(folders[0], "usr", "share", "tiny", "hello.txt")));
        Assert.Equal(["tiny-data"], Directory.GetFileSystemEntries(root).Select(Path.GetFileName));
    }

    [Fact]
    public void AMissingAptGetSaysWhatIsNeeded()
    {
        var cache = new DebianPackageCache(Path.Combine(_folder, "cache"), "/nonexistent/apt-get");
        var error = Assert.Throws<InvalidOperationException>(() => cache.Fetch("tiny-data"));
        Assert.Contains("needs apt-get and dpkg-deb", error.Message);
        Assert.Contains("'tiny-data'", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(_folder, "cache")));
    }

    [Fact]
    public void AnUnknownPackageReportsAptGetsAnswer()
    {
        var cache = new DebianPackageCache(Path.Combine(_folder, "cache"), FakeAptGet());
        var error = Assert.Throws<InvalidOperationException>(() => cache.Fetch("no-such-package"));
        Assert.Contains("Unable to locate package no-such-package", error.Message);
        Assert.Contains("apt-get update", error.Message);
    }

    [Theory]
    [InlineData("../etc")]
    [InlineData("Upper")]
    [InlineData("a")]
    public void NamesThatAreNotPackageNamesAreRefused(string name) =>
        Assert.Throws<ArgumentException>(() => new DebianPackageCache(Path.Combine(_folder, "cache")).PackageFolder(name));

    [Fact]
    public void TheDefaultRootFollowsXdgCacheHome()
    {
        Assert.Equal("/somewhere/cache/pipeline/debian-packages", DebianPackageCache.DefaultRoot("/somewhere/cache", "/home/me"));
        Assert.Equal("/home/me/.cache/pipeline/debian-packages", DebianPackageCache.DefaultRoot(null, "/home/me"));
        Assert.Equal("/home/me/.cache/pipeline/debian-packages", DebianPackageCache.DefaultRoot(" ", "/home/me"));
    }
}
