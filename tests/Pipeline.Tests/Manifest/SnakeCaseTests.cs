using Pipeline.Core.Manifest;

namespace Pipeline.Tests.Manifest;

public class SnakeCaseTests
{
    [Theory]
    [InlineData("InChannels", "in_channels")]
    [InlineData("FeatureSizes", "feature_sizes")]
    [InlineData("RoiSize", "roi_size")]
    [InlineData("HD95", "hd95")]
    [InlineData("HD95Threshold", "hd95_threshold")]
    [InlineData("UseGPU", "use_gpu")]
    [InlineData("GPUCount", "gpu_count")]
    [InlineData("Conv3dKernel", "conv3d_kernel")]
    [InlineData("Level2Name", "level2_name")]
    [InlineData("X", "x")]
    [InlineData("seed", "seed")]
    public void PropertyNamesBecomeSnakeCaseKeys(string name, string key)
    {
        Assert.Equal(key, SnakeCase.From(name));
    }
}
