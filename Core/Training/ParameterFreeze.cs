using Pipeline.Core.Nn;
using TorchSharp.Modules;

namespace Pipeline.Core.Training;

/// <summary>
/// Freezes the parameters under some state_dict key prefixes for the first iterations of a run: while frozen they
/// take no gradient, and an optimizer that skips parameters without a gradient (TorchSharp's AdamW does, weight decay
/// included) leaves them untouched; from the iteration after that they train again. The state depends only on the iteration, so a resumed run freezes
/// exactly as an uninterrupted one. Buffers (e.g. batch-norm running statistics) are not parameters and keep
/// updating in training mode.
/// </summary>
public sealed class ParameterFreeze
{
    private readonly List<Parameter> _parameters;
    private bool? _frozen;

    /// <param name="network">The network whose parameters are frozen.</param>
    /// <param name="prefixes">Key prefixes of the frozen parameters; empty: <see cref="SegmentationNetwork.EncoderParameterPrefixes"/>.</param>
    /// <param name="iterations">Iterations 1..N are frozen.</param>
    /// <exception cref="ArgumentException">
    /// No prefixes are given and the network names no encoder, or a prefix matches no parameter; the message lists
    /// the network's top-level names.
    /// </exception>
    public ParameterFreeze(SegmentationNetwork network, IReadOnlyList<string> prefixes, int iterations)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(iterations);
        var named = network.named_parameters().ToList();
        string topLevel = string.Join(", ", named.Select(p => p.name.Split('.')[0] + ".").Distinct());
        Prefixes = prefixes.Count > 0 ? prefixes : network.EncoderParameterPrefixes;
        if (Prefixes.Count == 0)
            throw new ArgumentException(
                $"{network.GetName()} does not name its encoder; set frozen_prefixes to the key prefixes to freeze (its top-level names: {topLevel}).");
        foreach (var prefix in Prefixes)
            if (!named.Any(p => p.name.StartsWith(prefix, StringComparison.Ordinal)))
                throw new ArgumentException($"frozen_prefixes: '{prefix}' matches no parameter of {network.GetName()} (its top-level names: {topLevel}).");
        _parameters = named.Where(p => Prefixes.Any(prefix => p.name.StartsWith(prefix, StringComparison.Ordinal)))
                           .Select(p => p.parameter).ToList();
        Iterations = iterations;
        Elements = _parameters.Sum(p => p.numel());
    }

    /// <summary>The prefixes in effect.</summary>
    public IReadOnlyList<string> Prefixes { get; }

    /// <summary>Iterations 1..this are frozen.</summary>
    public int Iterations { get; }

    /// <summary>Number of frozen parameter tensors.</summary>
    public int Tensors => _parameters.Count;

    /// <summary>Number of frozen parameter values.</summary>
    public long Elements { get; }

    /// <summary>Whether iteration <paramref name="iteration"/> (1-based) runs with the parameters frozen.</summary>
    public bool IsFrozenAt(int iteration) => iteration <= Iterations;

    /// <summary>Freezes or unfreezes the parameters for <paramref name="iteration"/>; true when that changed their state.</summary>
    public bool ApplyFor(int iteration)
    {
        bool frozen = IsFrozenAt(iteration);
        if (_frozen == frozen) return false;
        foreach (var parameter in _parameters)
            parameter.requires_grad = !frozen;
        _frozen = frozen;
        return true;
    }
}
