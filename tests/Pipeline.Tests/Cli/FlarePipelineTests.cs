namespace Pipeline.Tests.Cli;

/// <summary>pipelines/flare-repuxnet.yaml validates against a dataset root and names a missing one.</summary>
public sealed class FlarePipelineTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("flare-root-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private static string Manifest => Path.Combine(RepositoryRoot.Path, "pipelines", "flare-repuxnet.yaml");

    [Fact]
    public async Task ValidatesGivenAnExistingDatasetRoot()
    {
        var result = await CliRunner.RunAsync("validate", Manifest, "--set", $"datasets.flare.options.root={_root}");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("model repux-net, prior bfr, stages train -> validate", result.Out);
    }

    [Fact]
    public async Task NamesTheMissingRootFolder()
    {
        string missing = Path.Combine(_root, "FLARE21-not-here");
        var result = await CliRunner.RunAsync("validate", Manifest, "--set", $"datasets.flare.options.root={missing}");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains($"datasets.flare.options.root: folder '{missing}' does not exist", result.Error);
    }
}
