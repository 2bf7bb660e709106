namespace Pipeline.Tests.Cli;

/// <summary>
/// The example manifests for the paper's three settings validate once their dataset roots point at existing folders
/// (at validation time the dataset plugins only check that the root exists; empty folders do), and name the root
/// that is missing otherwise.
/// </summary>
public class ExampleManifestTests
{
    public static TheoryData<string, string[]> Manifests => new()
    {
        { "flare-amos-transfer.yaml", ["flare", "amos"] },
        { "flare-external-validation.yaml", ["flare", "msd_spleen", "kits", "lits", "tcia_pancreas"] },
        { "flare-cross-validation.yaml", ["flare"] },
    };

    [Theory]
    [MemberData(nameof(Manifests))]
    public async Task ValidatesWithItsDatasetRootsSetToExistingFolders(string file, string[] datasets)
    {
        string manifest = Path.Combine(RepositoryRoot.Path, "pipelines", file);
        string roots = Directory.CreateTempSubdirectory("example-roots-").FullName;
        try
        {
            var sets = datasets.SelectMany(name =>
            {
                string root = Directory.CreateDirectory(Path.Combine(roots, name)).FullName;
                return new[] { "--set", $"datasets.{name}.options.root={root}" };
            });
            var ok = await CliRunner.RunAsync(["validate", manifest, .. sets]);
            Assert.True(ok.ExitCode == 0, ok.Error + ok.Out);
            Assert.Contains($"valid: {manifest}", ok.Out);

            // Without the overrides the placeholder roots do not exist here, and every one is named.
            var placeholders = await CliRunner.RunAsync("validate", manifest);
            Assert.NotEqual(0, placeholders.ExitCode);
            foreach (var name in datasets)
                Assert.Contains($"datasets.{name}.options.root", placeholders.Error);
            Assert.Contains("does not exist", placeholders.Error);
        }
        finally
        {
            Directory.Delete(roots, recursive: true);
        }
    }
}
