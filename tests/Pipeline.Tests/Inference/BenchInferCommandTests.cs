using Pipeline.Tests.Cli;

namespace Pipeline.Tests.Inference;

public class BenchInferCommandTests
{
    [Fact]
    public async Task PrintsTheEstimateThenTheMeasurements()
    {
        var result = await CliRunner.RunAsync("bench", "infer", "--shape", "20,18,10", "--roi", "8", "--classes", "3", "--overlap", "0.5",
                                              "--channels", "4", "--sw-batch-size", "2");
        Assert.True(result.ExitCode == 0, result.Error);
        int estimate = result.Out.IndexOf("memory estimate: ~", StringComparison.Ordinal);
        int table = result.Out.IndexOf("| volume | ROI |", StringComparison.Ordinal);
        Assert.True(estimate >= 0 && table > estimate, result.Out);
        // 20: starts 0, 4, 8, 12 (4); 18: 0, 4, 8, 10 (4); 10: 0, 2 (2).
        Assert.Contains("| 20×18×10 | 8×8×8 | 0.5 | gaussian | 2 | 1 | 3 | tiny (4 ch) | 32 |", result.Out);
        var counts = result.Out.Split('\n').Single(l => l.StartsWith("voxels per class: ", StringComparison.Ordinal));
        Assert.Equal(20 * 18 * 10, counts["voxels per class: ".Length..].Split(", ").Sum(long.Parse));
    }

    [Fact]
    public async Task BadOptionsNameTheOption()
    {
        var result = await CliRunner.RunAsync("bench", "infer", "--shape", "20,18,10", "--network", "unet", "--blend", "constant");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("--network", result.Error);
        var blend = await CliRunner.RunAsync("bench", "infer", "--blend", "median");
        Assert.Equal(2, blend.ExitCode);
        Assert.Contains("--blend", blend.Error);
    }
}
