using Pipeline.Core.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Training;

/// <summary>
/// Draws random training patches from cases, like MONAI's <c>RandCropByPosNegLabeld</c> (pos/neg) with a twist on the
/// negative draw: with probability <c>foreground_ratio</c> the patch is centred on a labelled voxel (any class > 0,
/// chosen uniformly among all labelled voxels, then shifted so the patch fits), otherwise its position is uniform over
/// all positions where it fits (MONAI centres negatives on background voxels instead). A case smaller than the patch
/// is zero-padded symmetrically first (image and label, label 0). A case without labelled voxels falls back to a
/// uniform patch. All randomness comes from a <see cref="Generator"/> the sampler owns, so a seed fixes the sequence,
/// and <see cref="CaptureState"/> / <see cref="RestoreState"/> save and restore the position in it (for resuming).
/// </summary>
public sealed class PatchSampler : IDisposable
{
    private readonly Generator _generator;
    private readonly long[] _patchSize;

    /// <param name="patchSize">Patch size (d, h, w), each ≥ 1.</param>
    /// <param name="foregroundRatio">Probability of a foreground-centred patch, in [0, 1].</param>
    /// <param name="seed">Seed of the sampler's own generator.</param>
    public PatchSampler(IReadOnlyList<int> patchSize, double foregroundRatio, long seed)
    {
        if (patchSize is null || patchSize.Count != 3 || patchSize.Any(s => s < 1))
            throw new ArgumentException($"patch_size must be 3 positive sizes [d, h, w], got [{string.Join(", ", patchSize ?? [])}].", nameof(patchSize));
        if (!(foregroundRatio >= 0 && foregroundRatio <= 1))
            throw new ArgumentOutOfRangeException(nameof(foregroundRatio), foregroundRatio, "foreground_ratio must be in [0, 1].");
        _patchSize = patchSize.Select(s => (long)s).ToArray();
        ForegroundRatio = foregroundRatio;
        _generator = new Generator(unchecked((ulong)seed));
    }

    /// <summary>Patch size (d, h, w).</summary>
    public IReadOnlyList<long> PatchSize => _patchSize;

    /// <summary>Probability of a foreground-centred patch.</summary>
    public double ForegroundRatio { get; }

    /// <summary>Batches drawn with <see cref="SampleBatch"/> since the seed (or the restored state) was set.</summary>
    public long BatchesDrawn { get; private set; }

    /// <summary>The sampler's current position: generator state and batch count.</summary>
    public PatchSamplerState CaptureState()
    {
        using var state = _generator.get_state();
        return new PatchSamplerState(state.data<byte>().ToArray(), BatchesDrawn);
    }

    /// <summary>Continues from <paramref name="state"/>, as captured by <see cref="CaptureState"/> of a sampler with the same settings.</summary>
    /// <exception cref="ArgumentException">The state bytes are not a generator state of this build of torch.</exception>
    public void RestoreState(PatchSamplerState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var current = _generator.get_state();
        if (state.GeneratorState.Length != current.shape[0])
            throw new ArgumentException(
                $"The saved patch-sampler state has {state.GeneratorState.Length} bytes; this torch build's generator state has {current.shape[0]}.",
                nameof(state));
        using var saved = tensor(state.GeneratorState);
        _generator.set_state(saved);
        BatchesDrawn = state.BatchesDrawn;
    }

    /// <summary>A uniformly random index in [0, <paramref name="count"/>).</summary>
    public int NextIndex(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        using var drawn = randint(count, [1], generator: _generator);
        return (int)drawn.item<long>();
    }

    /// <summary>
    /// One patch of <paramref name="source"/>: image float [C, d, h, w] and label int64 [d, h, w], as new tensors
    /// (not views of the case) in the caller's dispose scope.
    /// </summary>
    public (Tensor Image, Tensor Label) Sample(SegmentationCase source)
    {
        if (source.Label is null)
            throw new InvalidOperationException($"Case '{source.Id}' has no label map; training patches need labels.");
        if (source.Image.dim() != 4 || source.Label.dim() != 3 || !source.Image.shape.Skip(1).SequenceEqual(source.Label.shape))
            throw new ArgumentException(
                $"Case '{source.Id}': expected image [C, D, H, W] and label [D, H, W] of the same spatial size, got " +
                $"[{string.Join(", ", source.Image.shape)}] and [{string.Join(", ", source.Label.shape)}].");

        using var scope = NewDisposeScope();
        var image = PadToPatch(source.Image);
        var label = PadToPatch(source.Label);
        var start = NextDouble() < ForegroundRatio ? ForegroundStart(label) ?? UniformStart(label) : UniformStart(label);

        var patchImage = image[.., Span(0, start), Span(1, start), Span(2, start)].clone();
        var patchLabel = label[Span(0, start), Span(1, start), Span(2, start)].clone();
        return (patchImage.MoveToOuterDisposeScope(), patchLabel.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// <paramref name="batchSize"/> patches, each from a case drawn uniformly (with replacement) from
    /// <paramref name="cases"/>, stacked into a batch.
    /// </summary>
    public PatchBatch SampleBatch(CaseStore cases, int batchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        if (cases.Count == 0) throw new ArgumentException("Cannot sample patches from an empty split.", nameof(cases));
        using var scope = NewDisposeScope();
        var images = new List<Tensor>(batchSize);
        var labels = new List<Tensor>(batchSize);
        for (int i = 0; i < batchSize; i++)
        {
            var (image, label) = cases.Use(NextIndex(cases.Count), Sample);
            images.Add(image);
            labels.Add(label);
        }
        BatchesDrawn++;
        return new PatchBatch(stack(images).MoveToOuterDisposeScope(), stack(labels).MoveToOuterDisposeScope());
    }

    /// <inheritdoc />
    public void Dispose() => _generator.Dispose();

    private TensorIndex Span(int axis, long[] start) => TensorIndex.Slice(start[axis], start[axis] + _patchSize[axis]);

    private double NextDouble()
    {
        using var drawn = rand([1], ScalarType.Float64, generator: _generator);
        return drawn.item<double>();
    }

    /// <summary>Zero-pads the last three axes symmetrically (the extra voxel, if odd, goes after) up to the patch size.</summary>
    private Tensor PadToPatch(Tensor volume)
    {
        long[] spatial = volume.shape[^3..];
        if (spatial.Zip(_patchSize).All(pair => pair.First >= pair.Second)) return volume;
        var pad = new long[6];
        for (int axis = 0; axis < 3; axis++)
        {
            long missing = Math.Max(0, _patchSize[axis] - spatial[axis]);
            // F.pad lists the last axis first.
            pad[2 * (2 - axis)] = missing / 2;
            pad[2 * (2 - axis) + 1] = missing - missing / 2;
        }
        return nn.functional.pad(volume, pad);
    }

    /// <summary>Start of a patch centred on a random labelled voxel, or null when there is none.</summary>
    private long[]? ForegroundStart(Tensor label)
    {
        var foreground = label.gt(0).nonzero(); // [K, 3]
        long count = foreground.shape[0];
        if (count == 0) return null;
        using var drawn = randint(count, [1], generator: _generator);
        var centre = foreground[drawn.item<long>()].data<long>().ToArray();
        var start = new long[3];
        for (int axis = 0; axis < 3; axis++)
            start[axis] = Math.Clamp(centre[axis] - _patchSize[axis] / 2, 0, label.shape[axis] - _patchSize[axis]);
        return start;
    }

    /// <summary>Start of a patch placed uniformly among all positions where it fits.</summary>
    private long[] UniformStart(Tensor label)
    {
        var start = new long[3];
        for (int axis = 0; axis < 3; axis++)
        {
            using var drawn = randint(label.shape[axis] - _patchSize[axis] + 1, [1], generator: _generator);
            start[axis] = drawn.item<long>();
        }
        return start;
    }
}
