using Pipeline.Core.IO;

namespace Pipeline.Tests.Imaging;

/// <summary>
/// Real images from Debian packages, fetched at first use into the per-user cache of <see cref="DebianPackageCache"/>
/// (never committed). The tests that use them need apt-get and network access the first time.
/// </summary>
public static class DebianPackages
{
    /// <summary>mricron-data: the Colin27 T1 (ch2), its brain (ch2bet) and atlases on the same or the FSL MNI grid.</summary>
    public const string MricronData = "mricron-data";

    /// <summary>insighttoolkit5-examples: a real head T1 (128×128×62, 2×2×3 mm, LSA) with brain mask and segmentation.</summary>
    public const string ItkExamples = "insighttoolkit5-examples";

    /// <summary>python-nibabel-doc: the tutorial images (someones_anatomy with scl_slope 0.35).</summary>
    public const string NibabelDoc = "python-nibabel-doc";

    /// <summary>The Colin27 templates folder inside mricron-data.</summary>
    public const string MricronTemplates = "usr/share/mricron/templates";

    /// <summary>The data folder inside insighttoolkit5-examples.</summary>
    public const string ItkData = "usr/share/doc/insighttoolkit5-examples/examples/Data";

    /// <summary>The path of <paramref name="relativePath"/> inside <paramref name="package"/>, fetching the package on first use.</summary>
    public static string File(string package, string relativePath) => new DebianPackageCache().FetchFile(package, relativePath);

    /// <summary>The unpacked folder of <paramref name="package"/>, fetching it on first use.</summary>
    public static string Folder(string package) => new DebianPackageCache().Fetch(package);
}
