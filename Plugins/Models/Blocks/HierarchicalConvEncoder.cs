using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// The four-level convolutional encoder shared by 3D UX-Net (<c>uxnet_conv</c>) and 3D RepUX-Net
/// (<c>repuxnet_conv</c>), which differ only in the block they stack. Stage i (i = 0 .. n−1) runs
/// <c>downsample_layers.i</c>, then <c>stages.i</c> (depths[i] blocks), and emits <c>norm{i}</c>(x) while the
/// un-normalised x continues. <c>downsample_layers.0</c> is the stem (<c>0</c>: Conv3d in → dims[0], k7 s2 p3, bias;
/// <c>1</c>: <see cref="ChannelsFirstLayerNorm"/>); <c>downsample_layers.i</c>, i ≥ 1, is (<c>0</c>:
/// ChannelsFirstLayerNorm(dims[i−1]); <c>1</c>: Conv3d dims[i−1] → dims[i], k2 s2, bias). Output i has dims[i]
/// channels at 1/2^(i+1) of the input size.
/// </summary>
public abstract class HierarchicalConvEncoder : nn.Module<Tensor, IReadOnlyList<Tensor>>
{
    /// <summary>Kernel size of the stem convolution.</summary>
    public const int StemKernelSize = 7;

#pragma warning disable IDE1006 // field names are state_dict keys
    /// <summary>Stem and down-sampling layers, one per stage.</summary>
    public readonly ModuleList<Sequential> downsample_layers;
    /// <summary>The stages: sequences of blocks.</summary>
    public readonly ModuleList<Sequential> stages;
#pragma warning restore IDE1006

    // Registered by hand as norm0, norm1, ... (the original adds them with add_module); an array is not a component.
    private readonly ChannelsFirstLayerNorm[] _outputNorms;

    /// <param name="name">Module name (diagnostics only).</param>
    /// <param name="inChannels">Channels of the input image.</param>
    /// <param name="depths">Number of blocks per stage (both papers: [2, 2, 2, 2]).</param>
    /// <param name="dims">Channels per stage, same length as <paramref name="depths"/> (both papers: [48, 96, 192, 384]).</param>
    /// <param name="createBlock">
    /// Builds one block from its channel count and its index among all blocks of the encoder (0-based, stage by
    /// stage); blocks keep their input shape.
    /// </param>
    protected HierarchicalConvEncoder(string name, int inChannels, IReadOnlyList<int> depths, IReadOnlyList<int> dims,
        Func<int, int, nn.Module<Tensor, Tensor>> createBlock) : base(name)
    {
        if (inChannels <= 0) throw new ArgumentOutOfRangeException(nameof(inChannels), inChannels, "in_channels must be positive.");
        if (depths.Count == 0 || depths.Count != dims.Count)
            throw new ArgumentException($"depths ({depths.Count} entries) and dims ({dims.Count} entries) must be non-empty and of equal length.");
        if (depths.Any(depth => depth < 0)) throw new ArgumentException($"depths must be >= 0, got [{string.Join(", ", depths)}].", nameof(depths));
        if (dims.Any(dim => dim <= 0)) throw new ArgumentException($"dims must be positive, got [{string.Join(", ", dims)}].", nameof(dims));

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

        int block = 0;
        var stageList = new List<Sequential>();
        for (int i = 0; i < dims.Count; i++)
        {
            var blocks = new List<nn.Module<Tensor, Tensor>>();
            for (int j = 0; j < depths[i]; j++)
                blocks.Add(createBlock(dims[i], block++));
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
}
