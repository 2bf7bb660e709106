using Microsoft.Extensions.Logging;
using Pipeline.Core.Data;
using Pipeline.Core.IO;
using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Datasets.BrainMri;

/// <summary>
/// The <c>brain-mri</c> dataset plugin: two real head T1 MRIs for brain extraction, installed from Debian packages into
/// a cache folder on first use (<c>apt-get download</c> + <c>dpkg-deb -x</c>; nothing is committed): Colin27 from
/// mricron-data and the ITK example head from insighttoolkit5-examples — another subject, scanner, orientation (LSA)
/// and spacing (2×2×3 mm), i.e. a real external-validation pair.
/// </summary>
[ExportDataset("brain-mri", "1.0.0", "Two real head T1 MRIs (Colin27; ITK example head, LSA 2x2x3 mm) from Debian packages; brain vs background.")]
public sealed class BrainMriDatasetProvider : IDatasetProvider
{
    /// <inheritdoc />
    public Type OptionsType => typeof(BrainMriDatasetOptions);

    /// <inheritdoc />
    public ISegmentationDataset Open(object options, DatasetOpenContext context)
    {
        if (options is not BrainMriDatasetOptions typed)
            throw new ArgumentException($"Dataset '{context.Name}': expected {nameof(BrainMriDatasetOptions)}, got {options?.GetType().Name ?? "null"}.", nameof(options));
        var problems = typed.Validate().ToList();
        if (problems.Count > 0)
            throw new InvalidDatasetException(context.Name, string.Join("; ", problems.Select(p => $"{p.Key}: {p.Message}")));
        var packages = new DebianPackageCache(typed.PackageCache);
        context.Logger.LogInformation("Dataset {Dataset}: brain MRIs from Debian packages cached in {Folder}", context.Name, packages.Root);
        try
        {
            return BrainMriDataset.Open(typed, packages);
        }
        catch (Exception e) when (e is InvalidOperationException or FileNotFoundException)
        {
            throw new InvalidDatasetException(context.Name, e.Message);
        }
    }
}
