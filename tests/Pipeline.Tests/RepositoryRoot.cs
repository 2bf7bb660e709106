namespace Pipeline.Tests;

/// <summary>The repository root: the nearest folder above the test binaries that holds Pipeline.sln.</summary>
public static class RepositoryRoot
{
    /// <summary>The solution file that marks the root.</summary>
    public const string SolutionFileName = "Pipeline.sln";

    /// <summary>Absolute path of the repository root; throws when the tests run outside a checkout.</summary>
    public static string Path => TryFind() ?? throw new DirectoryNotFoundException($"No {SolutionFileName} above {AppContext.BaseDirectory}.");

    /// <summary>The repository root, or null when no folder above the test binaries holds <see cref="SolutionFileName"/>.</summary>
    public static string? TryFind()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, SolutionFileName))) return dir.FullName;
        return null;
    }
}
