namespace Pipeline.Core.Transforms;

/// <summary>
/// Maps transform names to their options classes and factories. <see cref="CreateBuiltIn"/> knows every transform of
/// this library; callers may register more (e.g. a dataset plugin's own transform) on their own instance.
/// </summary>
public sealed class TransformRegistry
{
    private readonly Dictionary<string, TransformRegistration> _entries = new(StringComparer.Ordinal);

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names => _entries.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>A registry with every built-in transform.</summary>
    public static TransformRegistry CreateBuiltIn()
    {
        var registry = new TransformRegistry();
        registry.Register<OrientationOptions>(OrientationTransform.RegisteredName, options => new OrientationTransform(options));
        registry.Register<SpacingOptions>(SpacingTransform.RegisteredName, options => new SpacingTransform(options));
        registry.Register<CtWindowOptions>(CtWindowTransform.RegisteredName, options => new CtWindowTransform(options));
        registry.Register<ZScoreOptions>(ZScoreTransform.RegisteredName, options => new ZScoreTransform(options));
        registry.Register<PercentileScaleOptions>(PercentileScaleTransform.RegisteredName, options => new PercentileScaleTransform(options));
        registry.Register<CropForegroundOptions>(CropForegroundTransform.RegisteredName, options => new CropForegroundTransform(options));
        registry.Register<SpatialPadOptions>(SpatialPadTransform.RegisteredName, options => new SpatialPadTransform(options));
        registry.Register<RandCropByPosNegLabelOptions>(RandCropByPosNegLabelTransform.RegisteredName, options => new RandCropByPosNegLabelTransform(options));
        registry.Register<RandCropByLabelClassesOptions>(RandCropByLabelClassesTransform.RegisteredName, options => new RandCropByLabelClassesTransform(options));
        registry.Register<RandAffineOptions>(RandAffineTransform.RegisteredName, options => new RandAffineTransform(options));
        registry.Register<RandFlipOptions>(RandFlipTransform.RegisteredName, options => new RandFlipTransform(options));
        registry.Register<RandRotate90Options>(RandRotate90Transform.RegisteredName, options => new RandRotate90Transform(options));
        registry.Register<RandShiftIntensityOptions>(RandShiftIntensityTransform.RegisteredName, options => new RandShiftIntensityTransform(options));
        registry.Register<RandScaleIntensityOptions>(RandScaleIntensityTransform.RegisteredName, options => new RandScaleIntensityTransform(options));
        registry.Register<RandGaussianNoiseOptions>(RandGaussianNoiseTransform.RegisteredName, options => new RandGaussianNoiseTransform(options));
        return registry;
    }

    /// <summary>Registers a transform.</summary>
    /// <typeparam name="TOptions">Its options class (public parameterless constructor, snake_case keys).</typeparam>
    /// <param name="name">The YAML name.</param>
    /// <param name="create">Builds the transform from bound options.</param>
    /// <exception cref="ArgumentException">The name is empty or already registered.</exception>
    public void Register<TOptions>(string name, Func<TOptions, ITransform> create) where TOptions : class, new()
    {
        if (string.IsNullOrWhiteSpace(name)) throw new ArgumentException("a transform name must not be empty", nameof(name));
        if (!_entries.TryAdd(name, new TransformRegistration(name, typeof(TOptions), options => create((TOptions)options))))
            throw new ArgumentException($"a transform named '{name}' is already registered", nameof(name));
    }

    /// <summary>The registration of <paramref name="name"/>, or null.</summary>
    public TransformRegistration? Find(string name) => _entries.GetValueOrDefault(name);
}
