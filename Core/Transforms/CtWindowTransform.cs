namespace Pipeline.Core.Transforms;

/// <summary>
/// <c>ct_window</c>: maps intensities linearly so that a_min → b_min and a_max → b_max,
/// <c>(x − a_min) / (a_max − a_min) · (b_max − b_min) + b_min</c>, then clips to [b_min, b_max] when <c>clip</c>
/// is set (the ends may be given in either order).
/// </summary>
public sealed class CtWindowTransform : IntensityTransform
{
    /// <summary>The registered name.</summary>
    public const string RegisteredName = "ct_window";

    private readonly CtWindowOptions _options;

    /// <exception cref="ArgumentException">Invalid options.</exception>
    public CtWindowTransform(CtWindowOptions options) : base(RegisteredName, options.Keys)
    {
        TransformOptionChecks.ThrowIfInvalid(RegisteredName, options);
        _options = options;
    }

    /// <inheritdoc />
    protected override void Transform(TransformSample sample, TransformRandom random) =>
        ChangeValues(sample, values => Window(values, _options.AMin, _options.AMax, _options.BMin, _options.BMax, _options.Clip));

    /// <summary>The linear map a_min → b_min, a_max → b_max, optionally clipped (shared with the percentile scaling).</summary>
    internal static TorchSharp.torch.Tensor Window(TorchSharp.torch.Tensor values, double aMin, double aMax, double bMin, double bMax, bool clip)
    {
        var scaled = (values - aMin) * ((bMax - bMin) / (aMax - aMin)) + bMin;
        return clip ? scaled.clamp(Math.Min(bMin, bMax), Math.Max(bMin, bMax)) : scaled;
    }
}
