using static TorchSharp.torch;

namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>percentile_scale</c>: maps the lower percentile of the intensities to b_min and the upper one to b_max
/// linearly (as <c>ct_window</c> with a_min and a_max taken from the data), optionally clipped. Percentiles follow
/// numpy's default (linear interpolation between the two nearest order statistics). When both percentiles are equal
/// (e.g. a constant volume) the map is <c>x − a_min + b_min</c>, as in MONAI.
/// </summary>
public sealed class PercentileScaleTransform : IntensityTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "percentile_scale";

    private readonly PercentileScaleOptions _options;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public PercentileScaleTransform(PercentileScaleOptions options) : base(RegisteredName, options.Keys)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _options = options;
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random) =>
        ChangeValues(sample, values => _options.ChannelWise
            ? stack(Enumerable.Range(0, (int)values.shape[0]).Select(channel => Scale(values[channel])).ToArray())
            : Scale(values));

    private Tensor Scale(Tensor values)
    {
        var (low, high) = Percentiles.Of(values, _options.Lower, _options.Upper);
        if (high == low) return values - low + _options.BMin;
        return CtWindowTransform.Window(values, low, high, _options.BMin, _options.BMax, _options.Clip);
    }
}
