using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>Shared part of the recorded operations: the two grids and the shape check before inverting.</summary>
public abstract class GridOperation : IInvertibleOperation
{
    /// <param name="transformName">The transform that did it.</param>
    /// <param name="sourceGrid">The grid before.</param>
    /// <param name="resultGrid">The grid after.</param>
    protected GridOperation(string transformName, VoxelGrid sourceGrid, VoxelGrid resultGrid)
    {
        TransformName = transformName;
        SourceGrid = sourceGrid;
        ResultGrid = resultGrid;
    }

    /// <inheritdoc />
    public string TransformName { get; }

    /// <inheritdoc />
    public VoxelGrid SourceGrid { get; }

    /// <inheritdoc />
    public VoxelGrid ResultGrid { get; }

    /// <inheritdoc />
    public Volume Invert(Volume volume, Interpolation interpolation)
    {
        if (!volume.SpatialShape.SequenceEqual(ResultGrid.Shape))
            throw new ArgumentException(
                $"cannot invert '{TransformName}': the volume has spatial shape [{string.Join(", ", volume.SpatialShape)}], " +
                $"but the transform produced [{string.Join(", ", ResultGrid.Shape)}]", nameof(volume));
        return InvertOnResultGrid(volume, interpolation);
    }

    /// <summary>The inverse, once the shape is known to be the result grid's.</summary>
    protected abstract Volume InvertOnResultGrid(Volume volume, Interpolation interpolation);

    /// <summary>Wraps data moved back onto the source grid with exactly the source affine.</summary>
    protected Volume OnSourceGrid(Volume moved) => new(moved.Data, SourceGrid.Affine, moved.SourceHeader);
}
