using System.ComponentModel;

namespace Pipeline.Plugins.Datasets.Lits;

/// <summary>Options of the <c>lits</c> dataset (Liver Tumor Segmentation challenge).</summary>
public sealed class LitsDatasetOptions : Files.FileDatasetOptions
{
    /// <summary>Merge the tumour label into liver (one liver class, as when scoring a liver-only model).</summary>
    [Description("Merge tumour into liver (one 'liver' class).")]
    public bool MergeIntoLiver { get; set; }
}
