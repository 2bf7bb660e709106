using Pipeline.Core.Imaging;
using Pipeline.Core.Transforms;

namespace Pipeline.Core.Data;

/// <summary>
/// A dataset seen through its manifest <c>preprocess</c> list: every loaded case goes through the deterministic
/// transforms (orientation, spacing, intensity windows, foreground crop, ...) as an <c>image</c> and a <c>label</c>
/// volume, and comes out with its new grid's affine and the record of what was done, so predictions can be taken back
/// to the source grid (<see cref="SegmentationCase.Preprocessing"/>).
/// </summary>
public sealed class PreprocessedDataset : ISegmentationDataset
{
    /// <summary>The sample key of the image.</summary>
    public const string ImageKey = "image";

    /// <summary>The sample key of the label map.</summary>
    public const string LabelKey = "label";

    private readonly ISegmentationDataset _inner;
    private readonly Compose _preprocess;
    private readonly string _name;

    /// <param name="inner">The dataset as its plugin opened it.</param>
    /// <param name="preprocess">Deterministic transforms, each giving exactly one sample.</param>
    /// <param name="name">The dataset's manifest name, for messages.</param>
    public PreprocessedDataset(ISegmentationDataset inner, Compose preprocess, string name)
    {
        _inner = inner;
        _preprocess = preprocess;
        _name = name;
    }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => _inner.ClassNames;

    /// <inheritdoc />
    public int InputChannels => _inner.InputChannels;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Splits => _inner.Splits;

    /// <summary>The dataset under the preprocessing (e.g. to find a case's files).</summary>
    public ISegmentationDataset Inner => _inner;

    /// <inheritdoc />
    public SegmentationCase Load(string caseId)
    {
        using var source = _inner.Load(caseId);
        var affine = source.Affine ?? AffineMatrix.FromDiagonal(source.Spacing[0], source.Spacing[1], source.Spacing[2]);
        var sample = new TransformSample(caseId);
        sample.Add(ImageKey, new Volume(source.Image.clone(), affine, source.SourceHeader), VolumeRole.Image);
        if (source.Label is not null) sample.Add(LabelKey, new Volume(source.Label.unsqueeze(0).clone(), affine), VolumeRole.Label);
        var results = _preprocess.Apply(sample, seed: 0);
        if (results.Count != 1)
        {
            foreach (var extra in results) extra.Dispose();
            throw new InvalidOperationException($"dataset '{_name}': preprocessing gave {results.Count} samples for case '{caseId}'; it must give exactly one");
        }
        using var result = results[0];
        var image = result[ImageKey];
        var label = source.Label is null ? null : result[LabelKey].Data[0].to_type(TorchSharp.torch.ScalarType.Int64);
        return new SegmentationCase(caseId, image.Data.clone(), label, image.Affine.Spacing(), image.Affine,
            source.Preprocessing.Concat(result.AppliedOperations).ToList(), source.SourceHeader);
    }
}
