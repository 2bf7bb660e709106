using Pipeline.Core.Imaging;
using Pipeline.Core.Transforms;
using Pipeline.Tests.Imaging.Geometry;
using static TorchSharp.torch;

namespace Pipeline.Tests.Transforms;

/// <summary>Small samples and helpers for the transform tests.</summary>
internal static class TransformSamples
{
    /// <summary>An LPS grid (i → Left, j → Posterior, k → Superior) with anisotropic voxels.</summary>
    public static AffineMatrix Lps { get; } = AffineMatrix.FromDiagonal(-1.2, -1.1, 1.5, 30, 20, -10);

    /// <summary>Centre (voxels) of the class-1 ball and of the image blob in <see cref="Case"/>.</summary>
    public static double[] Centre { get; } = [7.3, 9.6, 6.4];

    /// <summary>
    /// A 16 × 18 × 14 case on <paramref name="affine"/> (default <see cref="Lps"/>): <c>image</c> is a Gaussian blob
    /// at <see cref="Centre"/> scaled to −100..500 (CT-like values), <c>label</c> an int64 map with a class-1 ball
    /// (radius 3.5) at the same centre and a class-2 ball (radius 2) near the first corner.
    /// </summary>
    public static TransformSample Case(string id = "case", AffineMatrix? affine = null)
    {
        affine ??= Lps;
        long[] shape = [16, 18, 14];
        using var blob = TestVolumes.Blob(shape, Centre, 2.5, affine);
        using var one = TestVolumes.Ball(shape, Centre, 3.5, affine, 1);
        using var two = TestVolumes.Ball(shape, [3, 3.5, 3], 2, affine, 2);
        using var scope = NewDisposeScope();
        var image = (blob.Data * 600 - 100).DetachFromDisposeScope();
        var label = maximum(one.Data, two.Data).DetachFromDisposeScope();
        return new TransformSample(id)
            .Add("image", new Volume(image, affine), VolumeRole.Image)
            .Add("label", new Volume(label, affine), VolumeRole.Label);
    }

    /// <summary>A composition of one transform built through the registry, as YAML would.</summary>
    public static Compose One(string name, Dictionary<string, object?> options) =>
        new TransformListReader(TransformRegistry.CreateBuiltIn()).Read([new TransformSpec(name, options)]);

    /// <summary>Runs <paramref name="compose"/> on a fresh <see cref="Case"/> with <paramref name="seed"/>.</summary>
    public static IReadOnlyList<TransformSample> Run(Compose compose, long seed, AffineMatrix? affine = null) =>
        compose.Apply(Case(affine: affine), seed);

    /// <summary>True when both lists hold samples with the same volumes: same keys, data, dtypes and affines.</summary>
    public static bool SameOutputs(IReadOnlyList<TransformSample> a, IReadOnlyList<TransformSample> b) =>
        a.Count == b.Count && a.Zip(b).All(pair =>
            pair.First.Keys.SequenceEqual(pair.Second.Keys)
            && pair.First.Keys.All(key =>
                TestVolumes.Same(pair.First[key].Data, pair.Second[key].Data) && pair.First[key].Affine.Equals(pair.Second[key].Affine)));

    /// <summary>Disposes every sample.</summary>
    public static void DisposeAll(IEnumerable<TransformSample> samples)
    {
        foreach (var sample in samples) sample.Dispose();
    }
}
