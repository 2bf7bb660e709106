using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>A reorientation (axis permutation and flips); undone exactly by the inverse reorientation.</summary>
/// <param name="transformName">The transform that did it.</param>
/// <param name="reorientation">The reorientation applied.</param>
/// <param name="sourceGrid">The grid before.</param>
/// <param name="resultGrid">The grid after.</param>
public sealed class ReorientOperation(string transformName, Reorientation reorientation, VoxelGrid sourceGrid, VoxelGrid resultGrid)
    : GridOperation(transformName, sourceGrid, resultGrid)
{
    /// <summary>The reorientation applied.</summary>
    public Reorientation Reorientation { get; } = reorientation;

    /// <inheritdoc />
    protected override Volume InvertOnResultGrid(Volume volume, Interpolation interpolation) =>
        OnSourceGrid(Reorientation.Inverse().Apply(volume));
}
