using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>z_score</c> (MONAI's <c>NormalizeIntensityd</c> without subtrahend/divisor).</summary>
public sealed class ZScoreOptions : IntensityOptions, IValidatableOptions
{
    /// <summary>Use only non-zero voxels for the statistics and leave zero voxels at zero (default false).</summary>
    [Description("Normalise only non-zero voxels (e.g. skull-stripped MR); zeros stay zero.")]
    public bool Nonzero { get; set; }

    /// <summary>Normalise each channel with its own mean and standard deviation (default false: one for all).</summary>
    [Description("Per-channel statistics instead of one mean and std for all channels.")]
    public bool ChannelWise { get; set; }

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate() => TransformOptionChecks.Keys("keys", Keys);
}
