using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>A flip of spatial axes; undone exactly by flipping them again.</summary>
/// <param name="transformName">The transform that did it.</param>
/// <param name="axes">The flipped spatial axes (0 = i, 1 = j, 2 = k).</param>
/// <param name="sourceGrid">The grid before.</param>
/// <param name="resultGrid">The grid after.</param>
public sealed class FlipOperation(string transformName, IReadOnlyList<int> axes, VoxelGrid sourceGrid, VoxelGrid resultGrid)
    : GridOperation(transformName, sourceGrid, resultGrid)
{
    /// <summary>The flipped spatial axes.</summary>
    public IReadOnlyList<int> Axes { get; } = axes.ToArray();

    /// <inheritdoc />
    protected override Volume InvertOnResultGrid(Volume volume, Interpolation interpolation) =>
        OnSourceGrid(VolumeAxes.Flip(volume, Axes));
}
