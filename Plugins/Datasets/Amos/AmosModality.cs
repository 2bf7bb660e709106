namespace Pipeline.Plugins.Datasets.Amos;

/// <summary>Which AMOS 2022 scans to use: ids below 500 are CT, 500 and above MRI.</summary>
public enum AmosModality
{
    /// <summary>CT scans only (amos_0001 ... amos_0499), the paper's setting.</summary>
    Ct,

    /// <summary>MRI scans only (amos_0500 and above).</summary>
    Mri,

    /// <summary>Every scan.</summary>
    All,
}
