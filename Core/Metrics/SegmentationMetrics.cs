using static TorchSharp.torch;

namespace Pipeline.Core.Metrics;

/// <summary>
/// Spacing-aware segmentation metrics of a predicted label map against a reference, per class: Dice, HD95 in mm and
/// normalised surface Dice (NSD) at a tolerance in mm. Surfaces are the masks' face-connected boundary voxels
/// (<see cref="SurfaceVoxels"/>); distances between them are exact Euclidean distances in mm
/// (<see cref="EuclideanDistanceTransform"/>); HD95 is the larger of the two directed 95th percentiles with linear
/// interpolation (<see cref="Percentile"/>). Definitions, empty-mask rules and the comparison with MONAI are in
/// docs/metrics.md.
/// </summary>
public static class SegmentationMetrics
{
    /// <summary>The percentile of the surface distances reported as <see cref="ClassMetrics.Hd95Mm"/>.</summary>
    public const double HausdorffPercentile = 95;

    /// <summary>Scores label maps given as row-major arrays (last axis fastest).</summary>
    /// <param name="prediction">Predicted label values, <paramref name="shape"/> voxels.</param>
    /// <param name="reference">Reference label values, same shape.</param>
    /// <param name="shape">The three axis lengths of both maps.</param>
    /// <param name="spacingMm">Voxel spacing in mm along those three axes, finite and positive.</param>
    /// <param name="labels">The label values to score, distinct; other values count as background.</param>
    /// <param name="options">Empty-mask policy and NSD tolerances; defaults when null.</param>
    /// <returns>One result per label, in the order of <paramref name="labels"/>.</returns>
    public static IReadOnlyList<ClassMetrics> Compute(ReadOnlySpan<long> prediction, ReadOnlySpan<long> reference, IReadOnlyList<int> shape,
                                                      IReadOnlyList<double> spacingMm, IReadOnlyList<long> labels, MetricOptions? options = null)
    {
        options ??= new MetricOptions();
        options.Validate();
        CheckGrid(prediction.Length, reference.Length, shape, spacingMm);
        CheckLabels(labels);
        int n0 = shape[0], n1 = shape[1], n2 = shape[2];
        var census = LabelCensus.Take(prediction, reference, n0, n1, n2, labels);

        var results = new ClassMetrics[labels.Count];
        for (int c = 0; c < labels.Count; c++)
        {
            long label = labels[c];
            long predicted = census.PredictionVoxels[c], referenced = census.ReferenceVoxels[c], both = census.IntersectionVoxels[c];
            double tolerance = options.NsdToleranceFor(label);
            double dice = DiceCoefficient.FromCounts(both, predicted, referenced, options.EmptyReference);
            if (predicted == 0 && referenced == 0)
            {
                results[c] = new ClassMetrics(label, dice, double.NaN, options.EmptyReference.OverlapWhenEmpty(true, true)!.Value,
                                              tolerance, 0, 0, 0, 0, 0);
                continue;
            }

            // Every surface voxel, and so every nearest surface point, lies in the union's bounding box, and a mask
            // voxel on the box's faces is on the surface whether the box is cropped or not: computing inside the box is exact.
            int[] low = census.Low[c], high = census.High[c];
            int[] box = [high[0] - low[0] + 1, high[1] - low[1] + 1, high[2] - low[2] + 1];
            var predictionMask = new bool[box[0] * box[1] * box[2]];
            var referenceMask = new bool[predictionMask.Length];
            for (int i = 0; i < box[0]; i++)
            for (int j = 0; j < box[1]; j++)
            {
                int source = ((low[0] + i) * n1 + low[1] + j) * n2 + low[2];
                int target = (i * box[1] + j) * box[2];
                for (int k = 0; k < box[2]; k++)
                {
                    predictionMask[target + k] = prediction[source + k] == label;
                    referenceMask[target + k] = reference[source + k] == label;
                }
            }
            var predictionSurface = SurfaceVoxels.Of(predictionMask, box, out long predictionSurfaceVoxels);
            var referenceSurface = SurfaceVoxels.Of(referenceMask, box, out long referenceSurfaceVoxels);

            double hd95, nsd;
            var emptyValue = options.EmptyReference.OverlapWhenEmpty(referenced == 0, predicted == 0);
            if (emptyValue is { } value)
            {
                // One mask is empty: no distance exists. HD95 is undefined (MONAI returns +inf); flags say which is empty.
                hd95 = double.NaN;
                nsd = value;
            }
            else
            {
                var distances = SurfaceDistances.Between(predictionSurface, referenceSurface, box, spacingMm);
                hd95 = distances.Hausdorff(HausdorffPercentile);
                nsd = distances.SurfaceDice(tolerance);
            }
            results[c] = new ClassMetrics(label, dice, hd95, nsd, tolerance, referenced, predicted, both,
                                          referenceSurfaceVoxels, predictionSurfaceVoxels);
        }
        return results;
    }

    /// <summary>
    /// Scores label-map tensors of shape [I, J, K] (any three axes; also [1, I, J, K]) and any integer dtype, on any device.
    /// </summary>
    /// <param name="prediction">Predicted label values.</param>
    /// <param name="reference">Reference label values, same shape.</param>
    /// <param name="spacingMm">Voxel spacing in mm along the tensors' three spatial axes, in the same order.</param>
    /// <param name="labels">The label values to score, distinct.</param>
    /// <param name="options">Empty-mask policy and NSD tolerances; defaults when null.</param>
    /// <returns>One result per label, in the order of <paramref name="labels"/>.</returns>
    public static IReadOnlyList<ClassMetrics> Compute(Tensor prediction, Tensor reference, IReadOnlyList<double> spacingMm,
                                                      IReadOnlyList<long> labels, MetricOptions? options = null)
    {
        var predictionShape = SpatialShape(prediction, "prediction");
        var referenceShape = SpatialShape(reference, "reference");
        if (!predictionShape.SequenceEqual(referenceShape))
            throw new ArgumentException(
                $"The prediction [{string.Join(", ", prediction.shape)}] and the reference [{string.Join(", ", reference.shape)}] differ in shape.");
        return Compute(Values(prediction), Values(reference), predictionShape, spacingMm, labels, options);
    }

    /// <summary>
    /// Scores one case's label-map tensors (see <see cref="Compute(Tensor, Tensor, IReadOnlyList{double}, IReadOnlyList{long}, MetricOptions?)"/>);
    /// errors name the case.
    /// </summary>
    public static CaseMetrics ComputeCase(string caseId, Tensor prediction, Tensor reference, IReadOnlyList<double> spacingMm,
                                          IReadOnlyList<long> labels, MetricOptions? options = null)
    {
        try
        {
            return new CaseMetrics(caseId, spacingMm.ToArray(), Compute(prediction, reference, spacingMm, labels, options));
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException($"Case '{caseId}': {error.Message}", error);
        }
    }

    private static int[] SpatialShape(Tensor labels, string what)
    {
        bool threeD = labels.dim() == 3, channelFirst = labels.dim() == 4 && labels.shape[0] == 1;
        if (!threeD && !channelFirst)
            throw new ArgumentException($"The {what} must be a 3-D label map [I, J, K] or [1, I, J, K], got [{string.Join(", ", labels.shape)}].");
        if (labels.dtype is not (ScalarType.Int64 or ScalarType.Int32 or ScalarType.Int16 or ScalarType.Int8 or ScalarType.Byte))
            throw new ArgumentException($"The {what} must hold integer labels, got {labels.dtype}.");
        var spatial = labels.shape.Skip(channelFirst ? 1 : 0).ToArray();
        if (spatial.Aggregate(1L, (product, n) => product * n) > Array.MaxLength)
            throw new ArgumentException($"The {what} [{string.Join(", ", labels.shape)}] has more voxels than one array can hold.");
        return spatial.Select(n => (int)n).ToArray();
    }

    private static long[] Values(Tensor labels)
    {
        using var scope = NewDisposeScope();
        return labels.to_type(ScalarType.Int64).cpu().contiguous().data<long>().ToArray();
    }

    private static void CheckGrid(int predictionLength, int referenceLength, IReadOnlyList<int> shape, IReadOnlyList<double> spacingMm)
    {
        if (shape.Count != 3 || shape.Any(n => n < 1))
            throw new ArgumentException($"The label maps need a 3-D shape with positive axes, got [{string.Join(", ", shape)}].");
        long voxels = (long)shape[0] * shape[1] * shape[2];
        if (predictionLength != voxels || referenceLength != voxels)
            throw new ArgumentException(
                $"The shape [{string.Join(", ", shape)}] needs {voxels} voxels; the prediction has {predictionLength}, the reference {referenceLength}.");
        if (spacingMm.Count != 3 || spacingMm.Any(s => !double.IsFinite(s) || s <= 0))
            throw new ArgumentException($"The spacing must be three finite positive values in mm, got [{string.Join(", ", spacingMm)}].");
    }

    private static void CheckLabels(IReadOnlyList<long> labels)
    {
        if (labels.Count == 0)
            throw new ArgumentException("No label to score: give at least one label value.");
        var duplicate = labels.GroupBy(label => label).FirstOrDefault(group => group.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Label {duplicate.Key} is listed more than once; each label is scored once.");
    }
}
