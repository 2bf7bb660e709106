using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Transforms;

/// <summary>Options of <c>spatial_pad</c> (MONAI's <c>SpatialPadd</c>, symmetric, constant 0).</summary>
public sealed class SpatialPadOptions : IValidatableOptions
{
    /// <summary>Smallest spatial size (i, j, k) the volumes must have (required).</summary>
    [Required]
    [Description("Smallest spatial size (i, j, k); smaller axes are zero-padded on both sides.")]
    public int[] SpatialSize { get; set; } = [];

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate() => TransformOptionChecks.SpatialSize("spatial_size", SpatialSize);
}
