using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace Pipeline.Core.Training;

/// <summary>
/// Hands out a fixed number of items, produced in order by <c>produce(index)</c>. With a capacity of 0 each
/// <see cref="Next"/> produces its item on the caller's thread (the sequential behaviour). With a capacity N &gt; 0 a
/// dedicated background thread produces ahead of the consumer into a bounded <see cref="Channel{T}"/> of N items and
/// blocks while it is full, so production overlaps consumption but memory stays bounded.
/// <para>The items are the same in both modes as long as <c>produce</c> depends only on its index and on state that
/// only it touches. An exception in the producer is rethrown (with its original stack) by the <see cref="Next"/> that
/// would have received the item. <see cref="Dispose"/> stops the producer, waits for it, and disposes every item
/// produced but not handed out; items handed out belong to the consumer.</para>
/// <para>TorchSharp dispose scopes are per thread: items holding tensors must detach them from the producing
/// thread's scopes (<c>DetachFromDisposeScope</c>) and the consumer disposes them.</para>
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
public sealed class Prefetcher<T> : IDisposable where T : class, IDisposable
{
    private readonly Func<long, T> _produce;
    private readonly Channel<T>? _channel;
    private readonly Thread? _producer;
    private readonly CancellationTokenSource _stop = new();
    private Exception? _failure;
    private long _discarded;
    private bool _disposed;

    /// <param name="produce">Produces item <c>index</c> (0, 1, ... in order, each once).</param>
    /// <param name="count">Number of items.</param>
    /// <param name="capacity">Items produced ahead of the consumer at most; 0 for none (no thread).</param>
    /// <param name="threadName">Name of the producer thread (seen in debuggers and dumps).</param>
    public Prefetcher(Func<long, T> produce, long count, int capacity, string threadName)
    {
        ArgumentNullException.ThrowIfNull(produce);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _produce = produce;
        Count = count;
        Capacity = capacity;
        if (capacity == 0 || count == 0) return;
        _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
            // Both sides block a thread while waiting; the only continuation is that wait's wake-up, which must run
            // on the other side's thread: queued to the thread pool it would wait for a free pool thread, and the
            // training loop and its callers block pool threads (about 2 s per wake-up with the pool starved, in
            // PrefetcherTests.AWaitingConsumerIsWokenWithoutThreadPoolThreads).
            AllowSynchronousContinuations = true,
        });
        _producer = new Thread(Produce) { IsBackground = true, Name = threadName };
        _producer.Start();
    }

    /// <summary>Items produced ahead at most (0: produced on demand).</summary>
    public int Capacity { get; }

    /// <summary>Items in all.</summary>
    public long Count { get; }

    /// <summary>Items handed out by <see cref="Next"/>.</summary>
    public long Delivered { get; private set; }

    /// <summary>Items produced but never handed out, disposed by <see cref="Dispose"/>.</summary>
    public long Discarded => Interlocked.Read(ref _discarded);

    /// <summary>How long the last <see cref="Next"/> took (with capacity 0: the time to produce the item).</summary>
    public TimeSpan LastWait { get; private set; }

    /// <summary>Sum of <see cref="LastWait"/> over all calls.</summary>
    public TimeSpan TotalWait { get; private set; }

    /// <summary>The next item; the caller owns (and disposes) it.</summary>
    /// <exception cref="InvalidOperationException">Every item was already handed out.</exception>
    public T Next()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Delivered >= Count) throw new InvalidOperationException($"All {Count} items were already handed out.");
        long started = Stopwatch.GetTimestamp();
        T item = _channel is null ? _produce(Delivered) : Take(_channel.Reader);
        LastWait = Stopwatch.GetElapsedTime(started);
        TotalWait += LastWait;
        Delivered++;
        return item;
    }

    /// <summary>Stops the producer, waits for it and disposes the items it produced that were not handed out.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _stop.Cancel();
        _producer?.Join();
        if (_channel is not null)
        {
            while (_channel.Reader.TryRead(out var left))
            {
                left.Dispose();
                Interlocked.Increment(ref _discarded);
            }
        }
        _stop.Dispose();
    }

    private T Take(ChannelReader<T> reader)
    {
        while (true)
        {
            if (reader.TryRead(out var item)) return item;
            bool more;
            try
            {
                more = reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult();
            }
            catch when (_failure is not null)
            {
                more = false;
            }
            if (!more)
            {
                if (_failure is not null) ExceptionDispatchInfo.Capture(_failure).Throw();
                throw new InvalidOperationException("The producer stopped before it produced every item.");
            }
        }
    }

    private void Produce()
    {
        var writer = _channel!.Writer;
        var token = _stop.Token;
        try
        {
            for (long index = 0; index < Count && !token.IsCancellationRequested; index++)
            {
                T item = _produce(index);
                try
                {
                    while (!writer.TryWrite(item))
                        writer.WaitToWriteAsync(token).AsTask().GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    item.Dispose();
                    Interlocked.Increment(ref _discarded);
                    return;
                }
            }
            writer.TryComplete();
        }
        catch (Exception e)
        {
            // Recorded before completing the channel, so the reader that sees the completion sees the failure.
            _failure = e;
            writer.TryComplete(e);
        }
    }
}
