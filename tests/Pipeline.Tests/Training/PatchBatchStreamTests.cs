using Pipeline.Core.Training;
using Pipeline.Plugins.Datasets.Synthetic;
using static TorchSharp.torch;

namespace Pipeline.Tests.Training;

/// <summary>Prefetched batches are the batches sequential sampling draws, with the sampler state a checkpoint needs.</summary>
public class PatchBatchStreamTests
{
    private static bool Same(Tensor expected, Tensor actual) =>
        expected.shape.SequenceEqual(actual.shape) && expected.eq(actual).all().item<bool>();

    private static SyntheticDataset Phantoms() =>
        new(new SyntheticDatasetOptions { Cases = 3, ValidationCases = 0, Size = [20, 20, 20], Seed = 4 });

    [Theory]
    [InlineData(0, true)]
    [InlineData(3, true)]
    [InlineData(3, false)]
    public void BatchesAndConsumedStatesMatchSequentialSampling(int prefetch, bool keepInMemory)
    {
        var dataset = Phantoms();
        var ids = dataset.Splits["train"];
        const int batches = 6;
        var expected = new List<(Tensor Images, Tensor Labels, PatchSamplerState State)>();
        using (var cases = new CaseStore(dataset, ids, keepInMemory: true))
        using (var sampler = new PatchSampler([8, 8, 8], 0.5, seed: 11))
        {
            for (int i = 0; i < batches; i++)
            {
                var batch = sampler.SampleBatch(cases, 2);
                expected.Add((batch.Images, batch.Labels, sampler.CaptureState()));
            }
        }

        using (var cases = new CaseStore(dataset, ids, keepInMemory))
        using (var sampler = new PatchSampler([8, 8, 8], 0.5, seed: 11))
        using (var stream = new PatchBatchStream(sampler, cases, 2, batches, prefetch))
        {
            Assert.Equal(0, stream.ConsumedState.BatchesDrawn);
            for (int i = 0; i < batches; i++)
            {
                using var sampled = stream.Next();
                Assert.True(Same(expected[i].Images, sampled.Batch.Images), $"images of batch {i}");
                Assert.True(Same(expected[i].Labels, sampled.Batch.Labels), $"labels of batch {i}");
                Assert.Equal(expected[i].State.GeneratorState, stream.ConsumedState.GeneratorState);
                Assert.Equal(i + 1, stream.ConsumedState.BatchesDrawn);
            }
            Assert.True(stream.TotalWait > TimeSpan.Zero);
        }
        foreach (var (images, labels, _) in expected)
        {
            images.Dispose();
            labels.Dispose();
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void TheTransformSeesEveryBatchWithItsIndexOnTheProducerThread(int prefetch)
    {
        var dataset = Phantoms();
        using var cases = new CaseStore(dataset, dataset.Splits["train"], keepInMemory: true);
        using var sampler = new PatchSampler([8, 8, 8], 0.5, seed: 13);
        var seen = new System.Collections.Concurrent.ConcurrentQueue<(long Index, int Thread)>();
        using var stream = new PatchBatchStream(sampler, cases, 2, 4, prefetch, (batch, index) =>
        {
            seen.Enqueue((index, Environment.CurrentManagedThreadId));
            return new PatchBatch(batch.Images + index, batch.Labels.clone());
        });
        using var plain = new PatchSampler([8, 8, 8], 0.5, seed: 13);
        for (int i = 0; i < 4; i++)
        {
            using var sampled = stream.Next();
            using var drawn = new SampledBatch(plain.SampleBatch(cases, 2), plain.CaptureState());
            Assert.True(Same(drawn.Batch.Images + i, sampled.Batch.Images), $"batch {i}");
        }
        Assert.Equal([0L, 1, 2, 3], seen.Select(s => s.Index));
        Assert.Equal(prefetch == 0, seen.All(s => s.Thread == Environment.CurrentManagedThreadId));
    }

    [Fact]
    public void AStreamStartedFromAConsumedStateContinuesTheSequence()
    {
        var dataset = Phantoms();
        var ids = dataset.Splits["train"];
        using var cases = new CaseStore(dataset, ids, keepInMemory: true);
        using var sampler = new PatchSampler([8, 8, 8], 0.5, seed: 12);
        PatchSamplerState atTwo;
        Tensor third;
        using (var stream = new PatchBatchStream(sampler, cases, 1, 5, prefetch: 3))
        {
            stream.Next().Dispose();
            stream.Next().Dispose();
            atTwo = stream.ConsumedState;
            using var next = stream.Next();
            third = next.Batch.Images.clone();
            Thread.Sleep(100); // the producer runs ahead of the consumer
        }
        Assert.True(sampler.BatchesDrawn > 3, "the producer should have drawn ahead");

        using var resumed = new PatchSampler([8, 8, 8], 0.5, seed: 999);
        resumed.RestoreState(atTwo);
        using var again = new PatchBatchStream(resumed, cases, 1, 1, prefetch: 2);
        using var first = again.Next();
        Assert.True(Same(third, first.Batch.Images));
        third.Dispose();
    }
}
