using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.Core.Engine;

/// <summary>Turns the manifest's <c>device</c> (cpu, cuda, auto) into a torch device.</summary>
public static class DeviceSelector
{
    /// <summary>
    /// <c>auto</c> is CUDA when available, else CPU; <c>cuda</c> without a usable GPU is an error that says so
    /// (this build's libtorch is CPU-only unless a CUDA libtorch package is referenced).
    /// </summary>
    public static Device Select(string requested) => requested.ToLowerInvariant() switch
    {
        "cpu" => CPU,
        "cuda" when cuda.is_available() => CUDA,
        "cuda" => throw new InvalidOperationException(
            "device: cuda was requested but no CUDA device is usable (this build's libtorch is CPU-only). Use 'cpu' or 'auto'."),
        "auto" => cuda.is_available() ? CUDA : CPU,
        _ => throw new ArgumentException($"device: expected cpu, cuda or auto, got '{requested}'."),
    };
}
