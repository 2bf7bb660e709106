using System.Collections.Concurrent;
using Pipeline.Core.Training;

namespace Pipeline.Tests.Training;

/// <summary>The bounded producer/consumer: order, bounds, failures and stopping without leaks.</summary>
public class PrefetcherTests
{
    /// <summary>An item that records whether it was disposed.</summary>
    private sealed class Item(long index) : IDisposable
    {
        public long Index { get; } = index;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    /// <summary>Produces items, remembering each one and the thread it was made on.</summary>
    private sealed class Source
    {
        public ConcurrentQueue<Item> Made { get; } = new();

        public ConcurrentBag<int> Threads { get; } = [];

        public Func<long, Item> Produce(Func<long, bool>? fail = null) => index =>
        {
            Threads.Add(Environment.CurrentManagedThreadId);
            if (fail?.Invoke(index) == true) throw new InvalidDataException($"case {index} is broken");
            var item = new Item(index);
            Made.Enqueue(item);
            return item;
        };
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3)]
    public void ItemsComeInOrderAndPrefetchingRunsOnAnotherThread(int capacity)
    {
        var source = new Source();
        using var prefetcher = new Prefetcher<Item>(source.Produce(), 20, capacity, "test-producer");
        var indices = new List<long>();
        for (int i = 0; i < 20; i++)
        {
            using var item = prefetcher.Next();
            indices.Add(item.Index);
        }
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), indices);
        Assert.Equal(20, prefetcher.Delivered);
        Assert.Throws<InvalidOperationException>(() => prefetcher.Next());
        bool onCaller = source.Threads.All(t => t == Environment.CurrentManagedThreadId);
        Assert.Equal(capacity == 0, onCaller);
        Assert.True(prefetcher.TotalWait >= prefetcher.LastWait);
    }

    [Fact]
    public void TheProducerStaysWithinCapacityAhead()
    {
        var source = new Source();
        using var prefetcher = new Prefetcher<Item>(source.Produce(), 100, 3, "test-producer");
        using (prefetcher.Next()) { }
        Thread.Sleep(300);
        // Three in the channel plus at most one made and waiting for room.
        Assert.InRange(source.Made.Count, 4, 5);
    }

    [Fact]
    public void DisposingStopsTheProducerAndDisposesEveryItemNotHandedOut()
    {
        var source = new Source();
        var prefetcher = new Prefetcher<Item>(source.Produce(), 1000, 4, "test-producer");
        var taken = new List<Item> { prefetcher.Next(), prefetcher.Next() };
        Thread.Sleep(200);
        prefetcher.Dispose();

        int made = source.Made.Count;
        Assert.InRange(made, 2, 2 + 5);
        Assert.Equal(made - 2, prefetcher.Discarded);
        Assert.All(source.Made.Where(item => !taken.Contains(item)), item => Assert.True(item.Disposed));
        Assert.All(taken, item => Assert.False(item.Disposed));
        Thread.Sleep(100);
        Assert.Equal(made, source.Made.Count);
        Assert.Throws<ObjectDisposedException>(() => prefetcher.Next());
        prefetcher.Dispose();
    }

    [Fact]
    public void DisposingWhileTheConsumerNeverReadStillReleasesEverything()
    {
        var source = new Source();
        var prefetcher = new Prefetcher<Item>(source.Produce(), 1000, 2, "test-producer");
        Thread.Sleep(100);
        prefetcher.Dispose();
        Assert.Equal(source.Made.Count, prefetcher.Discarded);
        Assert.All(source.Made, item => Assert.True(item.Disposed));
    }

    [Fact]
    public async Task AWaitingConsumerIsWokenWithoutThreadPoolThreads()
    {
        // With every pool thread blocked, a wake-up that went through the pool would wait until the pool adds a
        // thread (half a second or more); the training loop and its caller both block pool threads.
        ThreadPool.GetMinThreads(out int workers, out _);
        using var release = new ManualResetEventSlim();
        var blockers = Enumerable.Range(0, workers + 2).Select(_ => Task.Run(() => release.Wait())).ToArray();
        try
        {
            long produced = 0;
            using var prefetcher = new Prefetcher<Item>(index =>
            {
                Thread.Sleep(200);
                Interlocked.Exchange(ref produced, System.Diagnostics.Stopwatch.GetTimestamp());
                return new Item(index);
            }, 1, 1, "test-producer");
            using var item = prefetcher.Next();
            var latency = System.Diagnostics.Stopwatch.GetElapsedTime(Interlocked.Read(ref produced));
            Assert.True(latency < TimeSpan.FromMilliseconds(300), $"woken {latency.TotalMilliseconds:F0} ms after the item was made");
        }
        finally
        {
            release.Set();
            await Task.WhenAll(blockers);
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void AProducerFailureSurfacesAtTheItemItWouldHaveBeen(int capacity)
    {
        var source = new Source();
        using var prefetcher = new Prefetcher<Item>(source.Produce(index => index == 3), 10, capacity, "test-producer");
        for (int i = 0; i < 3; i++) prefetcher.Next().Dispose();
        var error = Assert.Throws<InvalidDataException>(() => prefetcher.Next());
        Assert.Equal("case 3 is broken", error.Message);
        Assert.Contains(nameof(Source), error.StackTrace);
    }
}
