using System.ComponentModel;

namespace Pipeline.Plugins.Datasets.Amos;

/// <summary>Options of the <c>amos</c> dataset (AMOS 2022).</summary>
public sealed class AmosDatasetOptions : Files.FileDatasetOptions
{
    /// <summary>CT, MRI or all scans.</summary>
    [Description("ct (ids < 500, the paper's setting), mri (ids >= 500) or all.")]
    public AmosModality Modality { get; set; } = AmosModality.Ct;
}
