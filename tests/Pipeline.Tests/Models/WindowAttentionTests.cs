using Pipeline.Plugins.Models.Blocks;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Tests.Models;

/// <summary>
/// <see cref="WindowAttention"/>: the fused scaled_dot_product_attention path equals MONAI's explicit
/// softmax(Q·Kᵀ·scale + bias + mask)·V in values and gradients, and clipped windows use the top-left corner of the
/// configured window's relative-position index.
/// </summary>
public sealed class WindowAttentionTests
{
    public static IEnumerable<object[]> Cases() => new[]
    {
        // maps, window (effective), shifted
        new object[] { 1, new[] { 7, 7, 7 }, false },
        new object[] { 1, new[] { 7, 7, 7 }, true },
        new object[] { 2, new[] { 7, 7, 7 }, true },
        new object[] { 2, new[] { 4, 4, 4 }, false },
        new object[] { 2, new[] { 2, 7, 7 }, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void FusedAndExplicitPathsAgreeInValuesAndGradients(int maps, int[] window, bool shifted)
    {
        using var scope = NewDisposeScope();
        const int channels = 24, heads = 6;
        var generator = new Generator(77);
        using var attention = new WindowAttention(channels, heads, [7, 7, 7]);
        using (no_grad())
            attention.relative_position_bias_table.add_(randn(attention.relative_position_bias_table.shape, generator: generator));

        // Two windows per map along h and w on a padded map whose shifted regions straddle the second ones, so a
        // shifted mask has several distinct patterns (and an all-zero one).
        long[] padded = [window[0], 2L * window[1], 2L * window[2]];
        int[] shift = shifted ? [0, window[1] / 2, window[2] / 2] : [0, 0, 0];
        using var mask = shifted ? SwinWindowMask.Build(padded, window, shift, CPU, ScalarType.Float32) : null;
        long tokens = (long)window[0] * window[1] * window[2];
        var input = randn(new long[] { maps * 4L, tokens, channels }, generator: generator);

        var (fused, fusedGradients) = Run(attention, WindowAttentionPath.ScaledDotProduct, input, mask);
        var (explicitOutput, explicitGradients) = Run(attention, WindowAttentionPath.Explicit, input, mask);

        AssertClose("output", fused, explicitOutput);
        foreach (var (name, gradient) in explicitGradients)
            AssertClose($"gradient of {name}", fusedGradients[name], gradient);
    }

    [Fact]
    public void ClippedWindowsReadTheTopLeftCornerOfTheConfiguredIndex()
    {
        using var scope = NewDisposeScope();
        using var attention = new WindowAttention(12, 3, [7, 7, 7]);
        using (no_grad())
            attention.relative_position_bias_table.copy_(randn(attention.relative_position_bias_table.shape, generator: new Generator(3)));
        const long tokens = 64; // a 4×4×4 window
        var bias = attention.PositionBias(tokens);
        Assert.Equal(new long[] { 3, tokens, tokens }, bias.shape);

        var corner = WindowAttention.RelativePositionIndex([7, 7, 7]);
        var table = attention.relative_position_bias_table;
        foreach (var (i, j) in new[] { (0L, 0L), (0L, 63L), (63L, 0L), (9L, 50L), (40L, 7L) })
        for (long h = 0; h < 3; h++)
            Assert.Equal(table[corner[i, j].item<long>(), h].item<float>(), bias[h, i, j].item<float>());

        // Not the bias an index rebuilt for the 4×4×4 window would give (MONAI does not rebuild it either).
        var rebuilt = WindowAttention.RelativePositionIndex([4, 4, 4]).reshape(-1);
        var rebuiltBias = table.index_select(0, rebuilt).view(tokens, tokens, -1).permute(2, 0, 1);
        Assert.False(rebuiltBias.eq(bias).all().item<bool>());
    }

    private static (Tensor Output, Dictionary<string, Tensor> Gradients) Run(WindowAttention attention, WindowAttentionPath path,
        Tensor input, SwinWindowMask? mask)
    {
        attention.Path = path;
        attention.zero_grad();
        var x = input.detach().requires_grad_(true);
        var output = attention.call(x, mask);
        output.pow(2).sum().backward();
        var gradients = attention.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        gradients["input"] = x.grad!.clone();
        return (output.detach(), gradients);
    }

    private static void AssertClose(string what, Tensor actual, Tensor expected)
    {
        double scale = Math.Max(1, expected.abs().max().item<float>());
        double difference = (actual - expected).abs().max().item<float>();
        Assert.True(difference <= 1e-5 * scale, $"{what}: max |Δ| = {difference:G3} (scale {scale:G3}).");
    }
}
