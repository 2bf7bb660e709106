using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Core.Transforms;

/// <summary>
/// A resampling between two grids in world space (spacing, random affine); undone by resampling from the result grid
/// back onto the source grid, which is exact only up to interpolation (within a fraction of a voxel).
/// </summary>
/// <param name="transformName">The transform that did it.</param>
/// <param name="sourceGrid">The grid before.</param>
/// <param name="resultGrid">The grid after.</param>
/// <param name="inversePadding">What source-grid points outside the result grid get when inverting.</param>
public sealed class ResampleOperation(string transformName, VoxelGrid sourceGrid, VoxelGrid resultGrid, PaddingMode inversePadding)
    : GridOperation(transformName, sourceGrid, resultGrid)
{
    /// <summary>What source-grid points outside the result grid get when inverting.</summary>
    public PaddingMode InversePadding { get; } = inversePadding;

    /// <inheritdoc />
    protected override Volume InvertOnResultGrid(Volume volume, Interpolation interpolation)
    {
        // Read the volume as lying on the recorded result grid, whatever affine it carries.
        var sourceToResult = ResultGrid.Affine.Inverse().Multiply(SourceGrid.Affine);
        Tensor data = Resampler.SampleVoxels(volume.Data, SourceGrid.Shape, sourceToResult, interpolation, InversePadding);
        return new Volume(data, SourceGrid.Affine, volume.SourceHeader);
    }
}
