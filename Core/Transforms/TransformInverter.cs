using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;

namespace Pipeline.Core.Transforms;

/// <summary>Replays a record of geometric operations backwards to take a prediction back to the source grid.</summary>
public static class TransformInverter
{
    /// <summary>
    /// <paramref name="prediction"/> (on the grid the last operation produced) undone through
    /// <paramref name="operations"/>, newest first, as a new volume on the first operation's source grid; with no
    /// operations, a copy. <paramref name="prediction"/> is not disposed; intermediate volumes are.
    /// </summary>
    /// <param name="operations">The record, oldest first (as <see cref="TransformSample.AppliedOperations"/>).</param>
    /// <param name="prediction">The volume to take back.</param>
    /// <param name="interpolation">Nearest for label maps, trilinear for probabilities or images.</param>
    public static Volume Invert(IReadOnlyList<IInvertibleOperation> operations, Volume prediction, Interpolation interpolation)
    {
        if (operations.Count == 0)
            return prediction.WithData(prediction.Data.clone().DetachFromDisposeScope());
        var current = prediction;
        try
        {
            for (var index = operations.Count - 1; index >= 0; index--)
            {
                var next = operations[index].Invert(current, interpolation);
                if (!ReferenceEquals(current, prediction)) current.Dispose();
                current = next;
            }
        }
        catch
        {
            if (!ReferenceEquals(current, prediction)) current.Dispose();
            throw;
        }
        return current;
    }
}
