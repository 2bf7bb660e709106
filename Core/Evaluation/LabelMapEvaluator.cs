using Pipeline.Core.Data;
using Pipeline.Core.Metrics;
using static TorchSharp.torch;

namespace Pipeline.Core.Evaluation;

/// <summary>
/// Scores predicted label-map files against reference files (<c>pipeline evaluate</c>): both must be on the same
/// grid (shape, and affine within a tolerance — a flipped or shifted prediction is an error, not a low Dice), spacing
/// comes from the reference's affine, and each case is read, scored and released before the next.
/// </summary>
public sealed class LabelMapEvaluator(IVolumeFileReader reader, double affineTolerance = 1e-3)
{
    /// <summary>Scores every pair.</summary>
    /// <param name="pairs">The files.</param>
    /// <param name="classes">Labels to score with names; null scores every non-zero value found in the references.</param>
    /// <param name="options">Empty-mask policy and NSD tolerances.</param>
    /// <exception cref="InvalidDataException">A pair is not on one grid, or a label map holds non-integer values; the message names the files.</exception>
    public MetricsReport Evaluate(IReadOnlyList<LabelFilePair> pairs, IReadOnlyList<MetricClass>? classes, MetricOptions options)
    {
        classes ??= DiscoverClasses(pairs);
        var labels = classes.Select(c => c.Label).ToList();
        var cases = new List<CaseMetrics>();
        foreach (var pair in pairs)
        {
            using var scope = NewDisposeScope();
            using var prediction = reader.Read(pair.PredictionPath);
            using var reference = reader.Read(pair.ReferencePath);
            if (prediction.Channels != 1 || reference.Channels != 1)
                throw new InvalidDataException($"case '{pair.CaseId}': label maps must be 3-D; {(prediction.Channels != 1 ? pair.PredictionPath : pair.ReferencePath)} holds {Math.Max(prediction.Channels, reference.Channels)} volumes");
            if (!prediction.SpatialShape.SequenceEqual(reference.SpatialShape))
                throw new InvalidDataException(
                    $"case '{pair.CaseId}': prediction {pair.PredictionPath} has shape [{string.Join(", ", prediction.SpatialShape)}], " +
                    $"reference {pair.ReferencePath} [{string.Join(", ", reference.SpatialShape)}]; predictions must be on the reference grid");
            double difference = prediction.Affine.MaxAbsDifference(reference.Affine);
            if (difference > affineTolerance)
                throw new InvalidDataException(
                    $"case '{pair.CaseId}': the affines of {pair.PredictionPath} and {pair.ReferencePath} differ by up to {difference:G4} " +
                    $"(tolerance {affineTolerance:G3}): prediction {prediction.Affine} vs reference {reference.Affine}");
            cases.Add(SegmentationMetrics.ComputeCase(pair.CaseId, ToLabels(prediction.Data, pair.PredictionPath), ToLabels(reference.Data, pair.ReferencePath),
                reference.Spacing, labels, options));
        }
        return new MetricsReport(classes, cases, options);
    }

    /// <summary>Every non-zero value of the references, named <c>label_N</c>.</summary>
    private List<MetricClass> DiscoverClasses(IReadOnlyList<LabelFilePair> pairs)
    {
        var values = new SortedSet<long>();
        foreach (var pair in pairs)
        {
            using var scope = NewDisposeScope();
            using var reference = reader.Read(pair.ReferencePath);
            foreach (var value in ToLabels(reference.Data, pair.ReferencePath).unique().Item1.data<long>().ToArray())
                if (value != 0) values.Add(value);
        }
        if (values.Count == 0) throw new InvalidDataException("no reference holds a non-zero label; pass --labels to say what to score");
        return values.Select(v => new MetricClass(v, $"label_{v}")).ToList();
    }

    private static Tensor ToLabels(Tensor data, string path)
    {
        var rounded = data.round();
        if (!rounded.eq(data).all().item<bool>())
            throw new InvalidDataException($"{path}: a label map must hold integer values");
        return rounded.to_type(ScalarType.Int64)[0];
    }
}
