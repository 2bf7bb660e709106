using Pipeline.Core.Nn;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// The 3D UX-Net encoder (<c>uxnet_conv</c> in uxnet_encoder.py; the <c>uxnet_3d</c> submodule of <c>UXNET</c>).
/// Stage i (i = 0 .. n−1) runs <c>downsample_layers.i</c>, then <c>stages.i</c> (depths[i] <see cref="UxBlock"/>s),
/// and emits <c>norm{i}</c>(x) while the un-normalised x continues. <c>downsample_layers.0</c> is the stem
/// (<c>0</c>: Conv3d in → dims[0], k7 s2 p3, bias; <c>1</c>: <see cref="ChannelsFirstLayerNorm"/>);
/// <c>downsample_layers.i</c>, i ≥ 1, is (<c>0</c>: ChannelsFirstLayerNorm(dims[i−1]); <c>1</c>: Conv3d
/// dims[i−1] → dims[i], k2 s2, bias). Output i has dims[i] channels at 1/2^(i+1) of the input size.
/// </summary>
public sealed class UxNetEncoder : nn.Module<Tensor, IReadOnlyList<Tensor>>
{
    /// <summary>Kernel size of the stem convolution.</summary>
    public const int StemKernelSize = 7;

#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>Stem and down-sampling layers, one per stage.</summary>
    public readonly ModuleList<Sequential> downsample_layers;
    /// <summary>The stages: sequences of <see cref="UxBlock"/>.</summary>
    public readonly ModuleList<Sequential> stages;
#pragma warning restore IDE1006

    // Registered by hand as norm0, norm1, ... (the original adds them with add_module); an array is not a component.
    private readonly ChannelsFirstLayerNorm[] _outputNorms;

    /// <param name="inChannels">Channels of the input image.</param>
    /// <param name="depths">Number of <see cref="UxBlock"/>s per stage (3D UX-Net: [2, 2, 2, 2]).</param>
    /// <param name="dims">Channels per stage, same length as <paramref name="depths"/> (3D UX-Net: [48, 96, 192, 384]).</param>
    /// <param name="kernelSize">Odd depthwise kernel size of every block (3D UX-Net: 7).</param>
    /// <param name="dropPathRate">Largest drop-path probability; block b of B gets rate·b/(B−1), as torch.linspace(0, rate, B) (default 0).</param>
    /// <param name="layerScaleInitValue">Initial γ of every block (default 1e-6; 0: no layer scale).</param>
    /// <param name="depthwisePath">How the blocks' depthwise convolutions are computed.</param>
    public UxNetEncoder(int inChannels, IReadOnlyList<int> depths, IReadOnlyList<int> dims, int kernelSize = 7,
        double dropPathRate = 0, double layerScaleInitValue = 1e-6, DepthwiseConvPath depthwisePath = DepthwiseConvPath.Auto)
        : base(nameof(UxNetEncoder))
    {
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "in_channels must be positive.");
        if (depths.Count == 0 || depths.Count != dims.Count)
            throw new ArgumentException($"depths ({depths.Count} entries) and dims ({dims.Count} entries) must be non-empty and of equal length.");
        if (depths.Any(depth => depth < 0)) throw new ArgumentException($"depths must be >= 0, got [{string.Join(", ", depths)}].", nameof(depths));
        if (dims.Any(dim => dim <= 0)) throw new ArgumentException($"dims must be positive, got [{string.Join(", ", dims)}].", nameof(dims));
        if (dropPathRate < 0 || dropPathRate >= 1)
            throw new ArgumentOutOfRangeException(nameof(dropPathRate), dropPathRate, "drop_path_rate must be in [0, 1).");

        Dims = dims.ToArray();
        Depths = depths.ToArray();

        var downsampling = new List<Sequential>
        {
            nn.Sequential(
                nn.Conv3d(inChannels, dims[0], StemKernelSize, stride: 2, padding: StemKernelSize / 2),
                new ChannelsFirstLayerNorm(dims[0])),
        };
        for (int i = 1; i < dims.Count; i++)
            downsampling.Add(nn.Sequential(new ChannelsFirstLayerNorm(dims[i - 1]), nn.Conv3d(dims[i - 1], dims[i], 2, stride: 2)));
        downsample_layers = nn.ModuleList(downsampling.ToArray());

        var rates = DropPathRates(dropPathRate, depths.Sum());
        int block = 0;
        var stageList = new List<Sequential>();
        for (int i = 0; i < dims.Count; i++)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (int j = 0; j < depths[i]; j++)
                blocks.Add(new UxBlock(dims[i], kernelSize, rates[block++], layerScaleInitValue, depthwisePath));
            stageList.Add(nn.Sequential(blocks.ToArray()));
        }
        stages = nn.ModuleList(stageList.ToArray());

        RegisterComponents();
        _outputNorms = dims.Select(dim => new ChannelsFirstLayerNorm(dim)).ToArray();
        for (int i = 0; i < _outputNorms.Length; i++)
            register_module($"norm{i}", _outputNorms[i]);
    }

    /// <summary>Channels per stage.</summary>
    public IReadOnlyList<int> Dims { get; }

    /// <summary>Blocks per stage.</summary>
    public IReadOnlyList<int> Depths { get; }

    /// <summary>Every spatial input size must be a multiple of this: 2^(number of stages).</summary>
    public int SpatialDivisor => 1 << Dims.Count;

    /// <summary>The normalised output of every stage, finest first.</summary>
    public override IReadOnlyList<Tensor> forward(Tensor input)
    {
        var outputs = new Tensor[Dims.Count];
        var x = input;
        for (int i = 0; i < Dims.Count; i++)
        {
            x = downsample_layers[i].call(x);
            x = stages[i].call(x);
            outputs[i] = _outputNorms[i].call(x);
        }
        return outputs;
    }

    private static double[] DropPathRates(double maximum, int blocks) =>
        Enumerable.Range(0, blocks).Select(b => blocks == 1 ? 0 : maximum * b / (blocks - 1)).ToArray();
}
