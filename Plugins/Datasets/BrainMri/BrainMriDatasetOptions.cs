using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Datasets.BrainMri;

/// <summary>Options of the <c>brain-mri</c> dataset: two real head T1 MRIs from Debian packages, brain vs background.</summary>
public sealed class BrainMriDatasetOptions : IValidatableOptions
{
    /// <summary>Where the Debian packages are unpacked; default <c>$XDG_CACHE_HOME/pipeline/debian-packages</c>.</summary>
    [Description("Folder the Debian packages are downloaded and unpacked into (default: ~/.cache/pipeline/debian-packages).")]
    public string? PackageCache { get; set; }

    /// <summary>The subject of the <c>train</c> split.</summary>
    [Description("Subject of the train split: colin27 or itk_head.")]
    public string TrainSubject { get; set; } = "colin27";

    /// <summary>The subject of the <c>validation</c> split (the external one).</summary>
    [Description("Subject of the validation split: itk_head or colin27.")]
    public string ValidationSubject { get; set; } = "itk_head";

    /// <inheritdoc />
    public IEnumerable<(string Key, string Message)> Validate()
    {
        var known = BrainMriSubject.All.Select(s => s.CaseId).ToList();
        if (!known.Contains(TrainSubject))
            yield return ("train_subject", $"must be one of {string.Join(", ", known)}, got '{TrainSubject}'.");
        if (!known.Contains(ValidationSubject))
            yield return ("validation_subject", $"must be one of {string.Join(", ", known)}, got '{ValidationSubject}'.");
    }
}
