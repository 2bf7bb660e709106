using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>Quarter turns in the plane of two spatial axes; undone exactly by the remaining turns of a full circle.</summary>
/// <param name="transformName">The transform that did it.</param>
/// <param name="quarterTurns">Turns applied, 1 to 3.</param>
/// <param name="firstAxis">First spatial axis of the plane (turning goes from it towards the second).</param>
/// <param name="secondAxis">Second spatial axis of the plane.</param>
/// <param name="sourceGrid">The grid before.</param>
/// <param name="resultGrid">The grid after.</param>
public sealed class Rotate90Operation(
    string transformName, int quarterTurns, int firstAxis, int secondAxis, VoxelGrid sourceGrid, VoxelGrid resultGrid)
    : GridOperation(transformName, sourceGrid, resultGrid)
{
    /// <summary>Turns applied.</summary>
    public int QuarterTurns { get; } = quarterTurns;

    /// <summary>First spatial axis of the plane.</summary>
    public int FirstAxis { get; } = firstAxis;

    /// <summary>Second spatial axis of the plane.</summary>
    public int SecondAxis { get; } = secondAxis;

    /// <inheritdoc />
    protected override Volume InvertOnResultGrid(Volume volume, Interpolation interpolation) =>
        OnSourceGrid(VolumeAxes.Rotate90(volume, 4 - QuarterTurns, FirstAxis, SecondAxis));
}
