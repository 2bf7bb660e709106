using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Plugins.Models.Blocks;

/// <summary>
/// The shifted-window masks (<see cref="SwinWindowMask"/>) of one Swin stage, built once per padded shape, window,
/// shift, device and element type and then reused. MONAI rebuilds the mask on every forward call; it depends only on
/// the shape, so caching it changes no result. The cached tensors are constants (no gradient), live outside every
/// dispose scope and are released by <see cref="Dispose"/>.
/// </summary>
public sealed class SwinRegionMaskCache : IDisposable
{
    private readonly Dictionary<Key, SwinWindowMask> _masks = new();
    private readonly object _gate = new();

    /// <summary>Number of masks held (one per distinct shape, device and type seen).</summary>
    public int Count
    {
        get
        {
            lock (_gate) return _masks.Count;
        }
    }

    /// <summary>
    /// The mask for the padded extents, effective window and shift, on <paramref name="device"/> as
    /// <paramref name="dtype"/>. The caller must not dispose or modify it.
    /// </summary>
    public SwinWindowMask Get(IReadOnlyList<long> padded, IReadOnlyList<int> window, IReadOnlyList<int> shift, Device device, ScalarType dtype)
    {
        var key = new Key(padded[0], padded[1], padded[2], window[0], window[1], window[2], shift[0], shift[1], shift[2],
            device.type, device.index, dtype);
        lock (_gate)
        {
            if (_masks.TryGetValue(key, out var cached)) return cached;
            var mask = SwinWindowMask.Build(padded, window, shift, device, dtype);
            _masks.Add(key, mask);
            return mask;
        }
    }

    /// <summary>Releases every cached mask.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var mask in _masks.Values) mask.Dispose();
            _masks.Clear();
        }
    }

    private readonly record struct Key(long Dp, long Hp, long Wp, int Wd, int Wh, int Ww, int Sd, int Sh, int Sw,
        DeviceType DeviceType, int DeviceIndex, ScalarType DType);
}
