using Pipeline.Core.Imaging;
using Pipeline.Core.Transforms;
using static TorchSharp.torch;

namespace Pipeline.Core.Training;

/// <summary>
/// Applies a stage's <c>augment</c> transforms to every patch of a training batch, each patch as an <c>image</c> and a
/// <c>label</c> volume on a unit voxel grid (random affine, flips and 90° turns act in voxel space, as in MONAI). The
/// draws depend only on (seed, iteration, accumulation part, patch index), so a resumed run augments exactly as an
/// uninterrupted one.
/// </summary>
/// <param name="transforms">The augmentation list; each transform must give one sample per patch.</param>
public sealed class PatchAugmentation(Compose transforms)
{
    /// <summary>Augments <paramref name="batch"/>; returns a new batch in the caller's dispose scope.</summary>
    public PatchBatch Apply(PatchBatch batch, long seed, int iteration, int part)
    {
        using var scope = NewDisposeScope();
        var images = new List<Tensor>();
        var labels = new List<Tensor>();
        for (int index = 0; index < batch.Images.shape[0]; index++)
        {
            var sample = new TransformSample($"patch {iteration}.{part}.{index}");
            sample.Add("image", new Volume(batch.Images[index].clone(), AffineMatrix.Identity), VolumeRole.Image);
            sample.Add("label", new Volume(batch.Labels[index].unsqueeze(0).clone(), AffineMatrix.Identity), VolumeRole.Label);
            long patchSeed = unchecked(((seed * 1_000_003L + iteration) * 8191L + part) * 131L + index);
            var results = transforms.Apply(sample, patchSeed);
            try
            {
                if (results.Count != 1)
                    throw new InvalidOperationException(
                        $"augment gave {results.Count} samples for one patch; augmentation must keep one sample per patch (cropping is the train stage's patch_size / foreground_ratio)");
                var augmented = results[0]["image"].Data;
                if (!augmented.shape.SequenceEqual(batch.Images.shape.Skip(1)))
                    throw new InvalidOperationException(
                        $"augment changed a patch's shape from [{string.Join(", ", batch.Images.shape.Skip(1))}] to [{string.Join(", ", augmented.shape)}]; " +
                        "every patch of a batch must keep its size (rand_rotate90 turns need equal patch sizes on the turned axes)");
                images.Add(augmented.clone());
                labels.Add(results[0]["label"].Data[0].to_type(ScalarType.Int64));
            }
            finally
            {
                foreach (var result in results) result.Dispose();
            }
        }
        return new PatchBatch(stack(images).MoveToOuterDisposeScope(), stack(labels).MoveToOuterDisposeScope());
    }
}
