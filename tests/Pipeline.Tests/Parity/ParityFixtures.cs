using System.Text.Json;

namespace Pipeline.Tests.Parity;

/// <summary>
/// Where the shared parity fixtures live and which exist. The root is the environment variable
/// <see cref="EnvironmentVariable"/> when set, else <c>&lt;repository root&gt;/../shared/parity</c>, where the
/// repository root is the nearest folder above the test binaries that contains <c>Pipeline.sln</c>.
/// </summary>
public static class ParityFixtures
{
    /// <summary>Environment variable that overrides the fixture root.</summary>
    public const string EnvironmentVariable = "PARITY_FIXTURES";

    /// <summary>Solution file that marks the repository root.</summary>
    public const string SolutionFileName = RepositoryRoot.SolutionFileName;

    /// <summary>Theory row standing for "no fixture found", so an empty set fails instead of passing silently.</summary>
    public const string NoFixturesMarker = "(no fixtures found)";

    /// <summary>The fixture root (it may not exist; see <see cref="RootProblem"/>).</summary>
    public static string Root
    {
        get
        {
            var overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(overridden)) return Path.GetFullPath(overridden);
            var repositoryRoot = RepositoryRoot.TryFind();
            return repositoryRoot is null
                ? Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "shared", "parity"))
                : Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "parity"));
        }
    }

    /// <summary>Why <see cref="Root"/> cannot be used, or null when it is an existing folder.</summary>
    public static string? RootProblem
    {
        get
        {
            string root = Root;
            if (Directory.Exists(root)) return null;
            var origin = string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(EnvironmentVariable))
                ? RepositoryRoot.TryFind() is { } repositoryRoot
                    ? $"the default <repository root>/../shared/parity (repository root '{repositoryRoot}')"
                    : $"a fallback next to the test binaries, because no folder above '{AppContext.BaseDirectory}' contains {SolutionFileName}"
                : $"the environment variable {EnvironmentVariable}";
            return $"The parity fixture root '{root}' (from {origin}) does not exist. " +
                   $"Set {EnvironmentVariable} to the folder holding the fixture folders (e.g. /work/shared/parity).";
        }
    }

    /// <summary>
    /// Names of the fixture folders whose <c>config.json</c> has <c>"class": <paramref name="className"/></c>, sorted;
    /// a single <see cref="NoFixturesMarker"/> when the root is missing or none match.
    /// </summary>
    public static IEnumerable<object[]> FoldersOfClassOrMarker(string className)
    {
        var folders = RootProblem is null ? FoldersOfClass(className) : new List<string>();
        return folders.Count > 0
            ? folders.Select(folder => new object[] { folder })
            : new[] { new object[] { NoFixturesMarker } };
    }

    /// <summary>Names of the fixture folders under <see cref="Root"/> whose config.json has the given class, sorted.</summary>
    public static List<string> FoldersOfClass(string className)
    {
        var folders = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories(Root).Order(StringComparer.Ordinal))
        {
            var configPath = Path.Combine(directory, "config.json");
            if (!File.Exists(configPath)) continue;
            using var config = JsonDocument.Parse(File.ReadAllBytes(configPath));
            if (config.RootElement.TryGetProperty("class", out var cls) && cls.GetString() == className)
                folders.Add(Path.GetFileName(directory));
        }
        return folders;
    }

    /// <summary>Fails the test with a clear message when <paramref name="fixture"/> is the "none found" marker.</summary>
    public static string RequireFolder(string fixture, string className)
    {
        if (fixture == NoFixturesMarker)
            Assert.Fail(RootProblem ?? $"No fixture folder under '{Root}' has a config.json with \"class\": \"{className}\".");
        return Path.Combine(Root, fixture);
    }

    /// <summary>Path of <paramref name="fileName"/> directly under the root; fails the test clearly when missing.</summary>
    public static string RequireRootFile(string fileName)
    {
        if (RootProblem is { } problem) Assert.Fail(problem);
        var path = Path.Combine(Root, fileName);
        if (!File.Exists(path)) Assert.Fail($"Expected '{path}' in the parity fixture root, but it does not exist.");
        return path;
    }
}
