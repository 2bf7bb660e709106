namespace Pipeline.Plugins.Datasets.BrainMri;

/// <summary>One of the two real head MRIs, with where its files sit inside its Debian package.</summary>
/// <param name="CaseId">The case id.</param>
/// <param name="Package">The Debian package holding the files.</param>
/// <param name="ImagePath">The T1 image, relative to the package root.</param>
/// <param name="BrainPath">The brain-extracted image or brain mask whose non-zero voxels are the brain label.</param>
/// <param name="Description">Who, how, where, for documentation and logs.</param>
public sealed record BrainMriSubject(string CaseId, string Package, string ImagePath, string BrainPath, string Description)
{
    /// <summary>Colin27 (MNI), 1 mm, RAS, from mricron-data; label = <c>ch2bet &gt; 0</c>.</summary>
    public static BrainMriSubject Colin27 { get; } = new("colin27", "mricron-data",
        "usr/share/mricron/templates/ch2.nii.gz", "usr/share/mricron/templates/ch2bet.nii.gz",
        "Colin27 T1 (27 averaged scans of one subject), 181x217x181, 1 mm, RAS; brain = ch2bet > 0");

    /// <summary>The ITK example head T1, 2×2×3 mm, LSA, from insighttoolkit5-examples; label = skull-strip mask &gt; 0.</summary>
    public static BrainMriSubject ItkHead { get; } = new("itk_head", "insighttoolkit5-examples",
        "usr/share/doc/insighttoolkit5-examples/examples/Data/KmeansTest_T1UCharRaw.nii.gz",
        "usr/share/doc/insighttoolkit5-examples/examples/Data/KmeansTest_T1RawSkullStrip.nii.gz",
        "ITK example head T1 (another subject and scanner), 128x128x62, 2x2x3 mm, LSA; brain = KmeansTest_T1RawSkullStrip > 0");

    /// <summary>Both subjects, training subject first.</summary>
    public static IReadOnlyList<BrainMriSubject> All { get; } = [Colin27, ItkHead];
}
