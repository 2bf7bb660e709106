using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Priors;

/// <summary>
/// A weight prior that installs a <see cref="KernelReparameterization"/> on every <see cref="DepthwiseConv3d"/> of a
/// network whose kernel size is at least <see cref="IKernelLayerSelection.MinKernelSize"/> (found through
/// <c>network.modules()</c>, so it works on any backbone built from <see cref="DepthwiseConv3d"/>), and folds any
/// installed re-parameterization away (<see cref="DepthwiseKernelFolding"/>).
/// </summary>
/// <typeparam name="TOptions">The prior's options class.</typeparam>
public abstract class DepthwiseKernelPrior<TOptions> : IWeightPrior
    where TOptions : class, IValidatableOptions, IKernelLayerSelection
{
    /// <summary>The prior's plugin name, for messages.</summary>
    protected abstract string Name { get; }

    /// <inheritdoc />
    public Type OptionsType => typeof(TOptions);

    /// <inheritdoc />
    /// <exception cref="ArgumentException">
    /// <paramref name="options"/> is not a <typeparamref name="TOptions"/>, or is invalid (every problem is listed by key).
    /// </exception>
    /// <exception cref="InvalidOperationException">
    /// No layer is selected, a selected layer already carries a re-parameterization, or a selected layer cannot take
    /// this prior; nothing is installed then.
    /// </exception>
    public int Apply(SegmentationNetwork network, object options)
    {
        ArgumentNullException.ThrowIfNull(network);
        if (options is not TOptions typed)
            throw new ArgumentException(
                $"The {Name} prior expects {typeof(TOptions).Name}, got {options?.GetType().Name ?? "null"}.", nameof(options));
        var problems = typed.Validate().ToList();
        if (problems.Count > 0)
            throw new ArgumentException(
                $"Invalid {Name} options:" + string.Concat(problems.Select(p => $"\n  {p.Key}: {p.Message}")), nameof(options));

        var layers = SelectLayers(network, typed.MinKernelSize);
        var refusals = layers
            .Select(layer => (Layer: layer, Reason: layer.Reparameterization is { } installed
                ? $"already re-parameterized by {installed.GetName()}; fold the network first"
                : Refusal(layer, typed)))
            .Where(entry => entry.Reason is not null)
            .Select(entry => $"\n  {Describe(entry.Layer)}: {entry.Reason}")
            .ToList();
        if (refusals.Count > 0)
            throw new InvalidOperationException($"The {Name} prior cannot be applied to {network.GetName()}:" + string.Concat(refusals));

        foreach (var layer in layers)
            layer.Install(Create(layer, typed));
        return layers.Count;
    }

    /// <inheritdoc />
    public void Fold(SegmentationNetwork network) => DepthwiseKernelFolding.FoldAll(network);

    /// <summary>
    /// Why <paramref name="layer"/> cannot take this prior with <paramref name="options"/>, or null when it can.
    /// Checked for every selected layer before anything is installed.
    /// </summary>
    protected virtual string? Refusal(DepthwiseConv3d layer, TOptions options) => null;

    /// <summary>The re-parameterization to install on <paramref name="layer"/>, on the layer's device and dtype.</summary>
    protected abstract KernelReparameterization Create(DepthwiseConv3d layer, TOptions options);

    /// <summary>
    /// The network's own depthwise layers with kernel size ≥ <paramref name="minKernelSize"/>, excluding layers that
    /// belong to an installed re-parameterization (e.g. structural branches).
    /// </summary>
    /// <exception cref="InvalidOperationException">No layer qualifies; the message lists the kernel sizes present.</exception>
    private List<DepthwiseConv3d> SelectLayers(SegmentationNetwork network, int minKernelSize)
    {
        var all = network.modules().OfType<DepthwiseConv3d>().ToList();
        var machinery = all
            .Where(layer => layer.Reparameterization is not null)
            .SelectMany(layer => layer.Reparameterization!.modules())
            .ToHashSet(ReferenceEqualityComparer.Instance);
        var own = all.Where(layer => !machinery.Contains(layer)).ToList();
        var selected = own.Where(layer => layer.KernelSize >= minKernelSize).ToList();
        if (selected.Count == 0)
        {
            var sizes = own.Select(layer => layer.KernelSize).Distinct().Order().ToList();
            throw new InvalidOperationException(
                $"The {Name} prior found no depthwise convolution with kernel size >= {minKernelSize} (min_kernel_size) in {network.GetName()}; " +
                (sizes.Count == 0 ? "it has no DepthwiseConv3d layers." : $"its depthwise kernel sizes are [{string.Join(", ", sizes)}]. Lower min_kernel_size or use the prior 'none'."));
        }
        return selected;
    }

    private static string Describe(DepthwiseConv3d layer) => $"DepthwiseConv3d({layer.Channels} channels, k={layer.KernelSize})";
}
