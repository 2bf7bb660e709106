using Pipeline.Core.Data;
using Pipeline.Core.Imaging;
using Pipeline.Core.Transforms;

namespace Pipeline.Core.Inference;

/// <summary>
/// Turns an image read from a file into a case to predict: the image goes through a preprocess list (the same
/// deterministic transforms a dataset's <c>preprocess</c> declares: orientation, spacing, intensity windows, foreground
/// crop) as <see cref="PreprocessedDataset"/> does, and the case keeps the record of what changed the grid and the
/// file's header, so <see cref="CasePredictor"/> can take the prediction back to the file's grid.
/// </summary>
public static class PredictionInput
{
    /// <summary>
    /// A case of <paramref name="image"/> (taking ownership of it) after <paramref name="preprocess"/>; without a
    /// preprocess list (null or empty) the case is the image as read.
    /// </summary>
    /// <param name="caseId">The case's name, for messages.</param>
    /// <param name="image">A float32 [C, I, J, K] image with its affine and source header.</param>
    /// <param name="preprocess">Deterministic transforms (see <see cref="RequireDeterministic"/>), or null.</param>
    /// <exception cref="InvalidOperationException">The preprocess list gave other than exactly one sample.</exception>
    public static SegmentationCase Prepare(string caseId, Volume image, Compose? preprocess)
    {
        ArgumentNullException.ThrowIfNull(image);
        if (preprocess is null || preprocess.Transforms.Count == 0)
            return new SegmentationCase(caseId, image.Data, null, image.Spacing, image.Affine, [], image.SourceHeader);
        var header = image.SourceHeader;
        var sample = new TransformSample(caseId);
        sample.Add(PreprocessedDataset.ImageKey, image, VolumeRole.Image);
        var results = preprocess.Apply(sample, seed: 0);
        if (results.Count != 1)
        {
            foreach (var extra in results) extra.Dispose();
            throw new InvalidOperationException($"case '{caseId}': preprocessing gave {results.Count} samples; it must give exactly one");
        }
        using var result = results[0];
        var volume = result[PreprocessedDataset.ImageKey];
        return new SegmentationCase(caseId, volume.Data.clone(), null, volume.Affine.Spacing(), volume.Affine,
                                    result.AppliedOperations.ToList(), header);
    }

    /// <summary>
    /// Throws unless every transform of <paramref name="preprocess"/> gives the same result every time: random
    /// transforms (<c>rand_*</c>) belong in a training stage's augmentation, not before inference.
    /// </summary>
    /// <param name="preprocess">The list.</param>
    /// <param name="source">Where it came from (a file, an option), named in the message.</param>
    /// <exception cref="ArgumentException">A transform is random; the message names it and its position.</exception>
    public static void RequireDeterministic(Compose preprocess, string source)
    {
        ArgumentNullException.ThrowIfNull(preprocess);
        for (var index = 0; index < preprocess.Transforms.Count; index++)
        {
            var name = preprocess.Transforms[index].Name;
            if (name.StartsWith("rand_", StringComparison.Ordinal))
                throw new ArgumentException(
                    $"{source}: transforms[{index}] '{name}' is random; preprocessing before inference must give the same image every time");
        }
    }
}
