using Pipeline.Core.Transforms;

namespace Pipeline.Tests.Transforms;

public class DeterminismTests
{
    /// <summary>Every random transform, configured so it always acts (except where the draw is the probability itself).</summary>
    public static TheoryData<string, Dictionary<string, object?>> RandomTransforms => new()
    {
        { "rand_crop_pos_neg", new() { ["spatial_size"] = new[] { 8, 8, 8 }, ["num_samples"] = 3 } },
        { "rand_crop_by_label_classes", new() { ["spatial_size"] = new[] { 8, 8, 8 }, ["num_samples"] = 3, ["ratios"] = new[] { 1.0, 1, 1 } } },
        { "rand_affine", new() { ["prob"] = 1.0, ["rotate_range"] = new[] { 0.5 }, ["scale_range"] = new[] { 0.2 } } },
        { "rand_flip", new() { ["prob"] = 0.5 } },
        { "rand_rotate90", new() { ["prob"] = 1.0, ["spatial_axes"] = new[] { 0, 2 } } },
        { "rand_shift_intensity", new() { ["prob"] = 1.0, ["offsets"] = 50.0 } },
        { "rand_scale_intensity", new() { ["prob"] = 1.0, ["factors"] = 0.3 } },
        { "rand_gaussian_noise", new() { ["prob"] = 1.0, ["std"] = 5.0 } },
    };

    /// <summary>Every transform that draws nothing.</summary>
    public static TheoryData<string, Dictionary<string, object?>> FixedTransforms => new()
    {
        { "orientation", new() },
        { "spacing", new() { ["pixdim"] = new[] { 1.5, 1.5, 1.5 } } },
        { "ct_window", new() },
        { "z_score", new() { ["nonzero"] = true } },
        { "percentile_scale", new() },
        { "crop_foreground", new() { ["source_key"] = "label", ["margin"] = 1 } },
        { "spatial_pad", new() { ["spatial_size"] = new[] { 20, 20, 20 } } },
    };

    [Theory]
    [MemberData(nameof(RandomTransforms))]
    public void RandomTransformsRepeatForASeedAndVaryAcrossSeeds(string name, Dictionary<string, object?> options)
    {
        var compose = TransformSamples.One(name, options);
        var first = TransformSamples.Run(compose, 7);
        var again = TransformSamples.Run(compose, 7);
        try
        {
            Assert.True(TransformSamples.SameOutputs(first, again), $"{name}: same seed, different output");
            var distinct = 1;
            foreach (var seed in Enumerable.Range(100, 8))
            {
                var other = TransformSamples.Run(compose, seed);
                if (!TransformSamples.SameOutputs(first, other)) distinct++;
                TransformSamples.DisposeAll(other);
            }
            Assert.True(distinct > 1, $"{name}: eight other seeds all gave the output of seed 7");
        }
        finally
        {
            TransformSamples.DisposeAll(first);
            TransformSamples.DisposeAll(again);
        }
    }

    [Theory]
    [MemberData(nameof(FixedTransforms))]
    public void FixedTransformsGiveTheSameOutputForAnySeed(string name, Dictionary<string, object?> options)
    {
        var compose = TransformSamples.One(name, options);
        var first = TransformSamples.Run(compose, 1);
        var second = TransformSamples.Run(compose, 2);
        try
        {
            Assert.True(TransformSamples.SameOutputs(first, second), $"{name}: output depends on the seed");
            using var original = TransformSamples.Case();
            Assert.False(TransformSamples.SameOutputs(first, [original]), $"{name}: did nothing to the test case");
        }
        finally
        {
            TransformSamples.DisposeAll(first);
            TransformSamples.DisposeAll(second);
        }
    }

    [Fact]
    public void OutputDependsOnlyOnTheSeedNotOnTheThread()
    {
        var compose = new TransformListReader(TransformRegistry.CreateBuiltIn()).Parse("""
            - name: rand_crop_pos_neg
              spatial_size: [10, 10, 10]
              num_samples: 2
            - name: rand_affine
              prob: 0.7
              rotate_range: [0.3, 0.2, 0.1]
            - name: rand_flip
              prob: 0.5
              spatial_axis: [1]
            - name: rand_gaussian_noise
              prob: 0.5
            """, "inline");
        var seeds = Enumerable.Range(0, 6).ToArray();
        var sequential = seeds.Select(seed => TransformSamples.Run(compose, seed)).ToArray();
        var parallel = new IReadOnlyList<TransformSample>[seeds.Length];
        Parallel.For(0, seeds.Length, new ParallelOptions { MaxDegreeOfParallelism = 3 }, index => parallel[index] = TransformSamples.Run(compose, seeds[index]));
        try
        {
            for (var index = 0; index < seeds.Length; index++)
                Assert.True(TransformSamples.SameOutputs(sequential[index], parallel[index]), $"seed {seeds[index]} differs across threads");
        }
        finally
        {
            foreach (var samples in sequential.Concat(parallel)) TransformSamples.DisposeAll(samples);
        }
    }
}
