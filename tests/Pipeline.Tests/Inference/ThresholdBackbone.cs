using System.Reflection;
using Pipeline.Core.Composition;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Priors.None;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

/// <summary>Options of <see cref="ThresholdBackbone"/>.</summary>
public sealed class ThresholdBackboneOptions
{
    /// <summary>Voxels brighter than this are class 1.</summary>
    public double Threshold { get; set; }
}

/// <summary>
/// A test backbone whose prediction is known exactly: one 1×1×1 convolution with logits (0, x − threshold), so the
/// argmax is "class 1 where the intensity exceeds the threshold" and the softmax of class 1 is σ(x − threshold).
/// It lives in the test assembly: catalogs that should offer it are built with <see cref="Catalog"/>.
/// </summary>
[ExportBackbone(Name, "0.0.1", "Test network: class 1 where the intensity exceeds a threshold.")]
public sealed class ThresholdBackbone : IBackbone
{
    /// <summary>The plugin name.</summary>
    public const string Name = "threshold-test-backbone";

    /// <inheritdoc />
    public Type OptionsType => typeof(ThresholdBackboneOptions);

    /// <inheritdoc />
    public SegmentationNetwork Build(object options) => new ThresholdNetwork(((ThresholdBackboneOptions)options).Threshold);

    /// <summary>A catalog of Pipeline.Core (stages), the priors plugin and this test assembly (this backbone).</summary>
    public static PluginCatalog Catalog() =>
        new([typeof(PluginAssemblyLoader).Assembly, typeof(NoPrior).Assembly, Assembly.GetExecutingAssembly()]);
}

/// <summary>The network <see cref="ThresholdBackbone"/> builds.</summary>
internal sealed class ThresholdNetwork : SegmentationNetwork
{
#pragma warning disable IDE1006 // field names are state_dict keys
    private readonly Conv3d head;
#pragma warning restore IDE1006

    public ThresholdNetwork(double threshold) : base(nameof(ThresholdNetwork))
    {
        head = nn.Conv3d(1, 2, 1);
        using (no_grad())
        {
            head.weight!.copy_(tensor(new float[] { 0, 1 }).reshape(2, 1, 1, 1, 1));
            head.bias!.copy_(tensor(new float[] { 0, (float)-threshold }));
        }
        RegisterComponents();
    }

    public override int InChannels => 1;

    public override int OutChannels => 2;

    public override int SpatialDivisor => 1;

    public override Tensor forward(Tensor input) => head.call(input);

    public override IReadOnlyList<Tensor> EncoderFeatures(Tensor input) => [head.call(input)];
}
