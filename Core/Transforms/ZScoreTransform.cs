using static TorchSharp.torch;

namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>z_score</c>: <c>(x − mean) / std</c> with the population standard deviation (numpy's <c>std</c>, ddof 0),
/// statistics in float64. A standard deviation of 0 is replaced by 1, as MONAI does, so a constant volume becomes 0.
/// With <c>nonzero</c>, only non-zero voxels are used and changed; a volume without any is left unchanged.
/// </summary>
public sealed class ZScoreTransform : IntensityTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "z_score";

    private readonly ZScoreOptions _options;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public ZScoreTransform(ZScoreOptions options) : base(RegisteredName, options.Keys)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _options = options;
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random) =>
        ChangeValues(sample, values => _options.ChannelWise
            ? stack(Enumerable.Range(0, (int)values.shape[0]).Select(channel => Normalise(values[channel])).ToArray())
            : Normalise(values));

    private Tensor Normalise(Tensor values)
    {
        var wide = values.to_type(ScalarType.Float64);
        var mask = _options.Nonzero ? wide.ne(0) : ones_like(wide, dtype: ScalarType.Bool);
        var selected = wide.masked_select(mask);
        if (selected.numel() == 0) return values;
        var mean = selected.mean().item<double>();
        var std = selected.std(unbiased: false).item<double>();
        if (std == 0) std = 1;
        var normalised = (wide - mean) / std;
        return where(mask, normalised, wide).to_type(values.dtype);
    }
}
