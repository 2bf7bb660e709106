using System.ComponentModel;

namespace Pipeline.Plugins.Datasets.Kits;

/// <summary>Options of the <c>kits</c> dataset (KiTS19 / KiTS21 / KiTS23 case folders).</summary>
public sealed class KitsDatasetOptions : Files.FileDatasetOptions
{
    /// <summary>Merge tumour and cyst into kidney (one kidney class, as when scoring a kidney-only model).</summary>
    [Description("Merge tumour and cyst into kidney (one 'kidney' class).")]
    public bool MergeIntoKidney { get; set; }
}
