using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>
/// A crop or pad: the result is the box of the source that starts at voxel <see cref="Start"/> (negative where
/// padded). Undone exactly by the opposite box; source voxels outside a crop come back as 0.
/// </summary>
/// <param name="transformName">The transform that did it.</param>
/// <param name="start">Source voxel at the result's voxel (0, 0, 0).</param>
/// <param name="sourceGrid">The grid before.</param>
/// <param name="resultGrid">The grid after.</param>
public sealed class RegionOperation(string transformName, IReadOnlyList<long> start, VoxelGrid sourceGrid, VoxelGrid resultGrid)
    : GridOperation(transformName, sourceGrid, resultGrid)
{
    /// <summary>Source voxel at the result's voxel (0, 0, 0).</summary>
    public IReadOnlyList<long> Start { get; } = start.ToArray();

    /// <inheritdoc />
    protected override Volume InvertOnResultGrid(Volume volume, Interpolation interpolation) =>
        OnSourceGrid(CropPad.Extract(volume, Start.Select(offset => -offset).ToArray(), SourceGrid.Shape));
}
