using Pipeline.Core.Data;
using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Geometry;
using Pipeline.Core.Nn;
using Pipeline.Core.Transforms;
using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>
/// Predicts whole cases with a trained network and takes the result back to the source file's grid: sliding windows
/// (<see cref="SegmentationPredictor"/>: Gaussian blending by default, optional flip test-time augmentation), argmax
/// and softmax on the case's preprocessed grid, then <see cref="SegmentationCase.Preprocessing"/> undone newest first
/// (<see cref="TransformInverter"/>): labels with nearest neighbour, probabilities trilinearly. Where the inverse has
/// no prediction to take back (outside a foreground crop), labels are background and the probability mass that is
/// missing goes to the background class, so probabilities still sum to 1. Labels inverted by nearest neighbour can
/// differ from the argmax of inverted probabilities at class borders.
/// </summary>
public sealed class CasePredictor
{
    private readonly SegmentationNetwork _network;
    private readonly SegmentationPredictor _predictor;

    /// <param name="network">The network, folded and in eval mode, on <paramref name="device"/>.</param>
    /// <param name="options">Sliding-window settings; <see cref="PredictionOptions.LabelType"/> must hold every class
    /// (<see cref="LabelTypeFor"/>) and <see cref="PredictionOptions.ProbabilityType"/> must be float32 or null.</param>
    /// <param name="device">Where the network runs; whole-volume tensors stay on the options' aggregation device.</param>
    /// <exception cref="ArgumentException">A setting is invalid or does not fit the network; the message names it.</exception>
    public CasePredictor(SegmentationNetwork network, PredictionOptions options, Device device)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        if (options.RoiSize.Any(size => size % network.SpatialDivisor != 0))
            throw new ArgumentException(
                $"roi_size [{string.Join(", ", options.RoiSize)}] must be multiples of {network.SpatialDivisor}, the model's spatial divisor.", nameof(options));
        if (MaxLabel(options.LabelType) < network.OutChannels - 1)
            throw new ArgumentException(
                $"label_type {options.LabelType} cannot hold {network.OutChannels} classes; use {LabelTypeFor(network.OutChannels)}.", nameof(options));
        if (options.ProbabilityType is { } type && type != ScalarType.Float32)
            throw new ArgumentException($"probabilities taken back to the source grid are float32, not {type}.", nameof(options));
        _network = network;
        _predictor = new SegmentationPredictor(options, device);
    }

    /// <summary>The settings.</summary>
    public PredictionOptions Options => _predictor.Options;

    /// <summary>The network's classes (output channels).</summary>
    public int Classes => _network.OutChannels;

    /// <summary>The smallest label type that holds <paramref name="classes"/> classes: uint8 up to 256, else int16.</summary>
    public static ScalarType LabelTypeFor(int classes) => classes <= 256 ? ScalarType.Byte : ScalarType.Int16;

    /// <summary>The memory predicting <paramref name="source"/> needs on its preprocessed grid (network activations not included).</summary>
    public InferenceMemoryEstimate EstimateMemory(SegmentationCase source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return _predictor.EstimateMemory(source.Image.shape.Skip(1).ToArray(), _network.InChannels, _network.OutChannels);
    }

    /// <summary>
    /// Predicts <paramref name="source"/> and takes the labels (and probabilities, when the options ask for them) back
    /// to the source grid. The case is not disposed.
    /// </summary>
    /// <exception cref="ArgumentException">The image is not [C, I, J, K] with the network's input channels.</exception>
    public CasePrediction Predict(SegmentationCase source)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (source.Image.dim() != 4 || source.Image.shape[0] != _network.InChannels)
            throw new ArgumentException(
                $"case '{source.Id}': the image has shape [{string.Join(", ", source.Image.shape)}]; the model takes [{_network.InChannels}, I, J, K].",
                nameof(source));
        using var scope = NewDisposeScope();
        var affine = source.Affine ?? AffineMatrix.FromDiagonal(source.Spacing[0], source.Spacing[1], source.Spacing[2]);
        var prediction = _predictor.Predict(input => _network.call(input), source.Image.to_type(ScalarType.Float32));
        var labels = TransformInverter.Invert(source.Preprocessing, new Volume(prediction.Labels.unsqueeze(0), affine, source.SourceHeader),
                                              Interpolation.Nearest);
        labels.Data.DetachFromDisposeScope();
        if (prediction.Probabilities is null)
            return new CasePrediction(source.Id, labels, null);
        try
        {
            var probabilities = TransformInverter.Invert(source.Preprocessing, new Volume(prediction.Probabilities, affine, source.SourceHeader),
                                                         Interpolation.Trilinear);
            probabilities.Data.DetachFromDisposeScope();
            if (source.Preprocessing.Count > 0) GiveMissingMassToBackground(probabilities.Data);
            return new CasePrediction(source.Id, labels, probabilities);
        }
        catch
        {
            labels.Dispose();
            throw;
        }
    }

    /// <summary>Adds 1 − Σ p (where positive) to class 0: voxels the inverse padded with zeros become background.</summary>
    private static void GiveMissingMassToBackground(Tensor probabilities)
    {
        using var scope = NewDisposeScope();
        var missing = probabilities.sum(dim: 0).neg_().add_(1).clamp_min_(0);
        probabilities[0].add_(missing);
    }

    private static long MaxLabel(ScalarType type) => type switch
    {
        ScalarType.Byte => byte.MaxValue,
        ScalarType.Int8 => sbyte.MaxValue,
        ScalarType.Int16 => short.MaxValue,
        ScalarType.Int32 => int.MaxValue,
        _ => long.MaxValue,
    };
}
