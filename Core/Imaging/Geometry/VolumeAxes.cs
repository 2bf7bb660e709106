using static TorchSharp.torch;

namespace Pipeline.Core.Imaging.Geometry;

/// <summary>
/// Flips and quarter turns of the index axes: voxels move, none is interpolated, and the affine is updated exactly so
/// every voxel keeps its world position (as MONAI's <c>Flip</c> and <c>Rotate90</c> do on tensors with metadata).
/// Results own new contiguous tensors, not attached to any dispose scope, and keep the source header.
/// </summary>
public static class VolumeAxes
{
    /// <summary>The volume reversed along the spatial axes <paramref name="axes"/> (0 = i, 1 = j, 2 = k).</summary>
    /// <exception cref="ArgumentException">An axis outside 0..2 or listed twice.</exception>
    public static Volume Flip(Volume volume, IReadOnlyList<int> axes)
    {
        CheckAxes(axes, allowEmpty: true);
        using var scope = NewDisposeScope();
        var data = axes.Count == 0 ? volume.Data.clone() : volume.Data.flip(axes.Select(axis => (long)axis + 1).ToArray());
        return new Volume(data.DetachFromDisposeScope(), volume.Affine.Multiply(FlipVoxelMap(volume.SpatialShape, axes)), volume.SourceHeader);
    }

    /// <summary>
    /// Result voxel → source voxel for a flip: along a flipped axis, source index = n − 1 − result index.
    /// </summary>
    public static AffineMatrix FlipVoxelMap(IReadOnlyList<long> shape, IReadOnlyList<int> axes)
    {
        var values = AffineMatrix.Identity.ToRowMajor();
        foreach (var axis in axes)
        {
            values[axis * 4 + axis] = -1;
            values[axis * 4 + 3] = shape[axis] - 1;
        }
        return new AffineMatrix(values);
    }

    /// <summary>
    /// The volume turned <paramref name="quarterTurns"/> times by 90° in the plane of spatial axes
    /// <paramref name="firstAxis"/> and <paramref name="secondAxis"/>, from the first towards the second, with the
    /// convention of numpy's and torch's <c>rot90</c>: one turn reverses the second axis, then swaps the two.
    /// </summary>
    /// <exception cref="ArgumentException">Axes outside 0..2 or equal.</exception>
    public static Volume Rotate90(Volume volume, int quarterTurns, int firstAxis, int secondAxis)
    {
        CheckAxes([firstAxis, secondAxis], allowEmpty: false);
        var turns = ((quarterTurns % 4) + 4) % 4;
        using var scope = NewDisposeScope();
        var data = volume.Data;
        var shape = volume.SpatialShape;
        var resultToSource = AffineMatrix.Identity;
        for (var turn = 0; turn < turns; turn++)
        {
            // Voxel map of this turn, composed on the right: (earlier turns) · (this turn).
            resultToSource = resultToSource.Multiply(QuarterTurnVoxelMap(shape, firstAxis, secondAxis));
            data = data.flip(secondAxis + 1).transpose(firstAxis + 1, secondAxis + 1);
            (shape[firstAxis], shape[secondAxis]) = (shape[secondAxis], shape[firstAxis]);
        }
        var result = turns == 0 ? data.clone() : data.contiguous();
        return new Volume(result.DetachFromDisposeScope(), volume.Affine.Multiply(resultToSource), volume.SourceHeader);
    }

    /// <summary>
    /// Result voxel → source voxel for one quarter turn of a source of spatial shape <paramref name="shape"/>:
    /// out = transpose(flip(in, second)), so in[first] = out[second] and in[second] = n_second − 1 − out[first].
    /// </summary>
    public static AffineMatrix QuarterTurnVoxelMap(IReadOnlyList<long> shape, int firstAxis, int secondAxis)
    {
        var values = AffineMatrix.Identity.ToRowMajor();
        values[firstAxis * 4 + firstAxis] = 0;
        values[secondAxis * 4 + secondAxis] = 0;
        values[firstAxis * 4 + secondAxis] = 1;
        values[secondAxis * 4 + firstAxis] = -1;
        values[secondAxis * 4 + 3] = shape[secondAxis] - 1;
        return new AffineMatrix(values);
    }

    private static void CheckAxes(IReadOnlyList<int> axes, bool allowEmpty)
    {
        if ((!allowEmpty && axes.Count == 0) || axes.Any(axis => axis is < 0 or > 2) || axes.Distinct().Count() != axes.Count)
            throw new ArgumentException($"spatial axes must be distinct values in 0..2, got [{string.Join(", ", axes)}]", nameof(axes));
    }
}
