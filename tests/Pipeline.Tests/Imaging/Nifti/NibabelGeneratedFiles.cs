using Pipeline.Core.Imaging.Nifti;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>
/// The <see cref="NibabelCase.All"/> images, written once per test run by nibabel into a temporary folder, and
/// nibabel's view of each (one Python process for writing, one for describing).
/// </summary>
public sealed class NibabelGeneratedFiles : IDisposable
{
    /// <summary>Generates and describes every case.</summary>
    public NibabelGeneratedFiles()
    {
        Folder = Directory.CreateTempSubdirectory("nifti-nibabel-").FullName;
        _roundTrip = new(WriteBack);
        try
        {
            NibabelOracle.Generate(NibabelCase.All, Folder);
            var paths = NibabelCase.All.Select(c => Path.Combine(Folder, c.FileName)).ToList();
            var records = NibabelOracle.Describe(paths, Path.Combine(Folder, "oracle"));
            Oracle = NibabelCase.All.Zip(records).ToDictionary(pair => pair.First.Name, pair => pair.Second);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>
    /// Every case read by <see cref="NiftiReader"/> and written back by <see cref="NiftiWriter"/> twice, as an image
    /// (header kept) and as a volume (<see cref="NiftiImage.ToVolume"/>, geometry from the affine), with nibabel's
    /// view of both; built on first use (one Python process for all files).
    /// </summary>
    public IReadOnlyDictionary<string, (OracleRecord Image, OracleRecord Volume)> RoundTrip => _roundTrip.Value;

    private readonly Lazy<IReadOnlyDictionary<string, (OracleRecord, OracleRecord)>> _roundTrip;

    /// <summary>Where case <paramref name="name"/> was written back as an image.</summary>
    public string ImageCopyOf(string name) => Path.Combine(Folder, "written", name + (Case(name).Gzip ? ".image.nii" : ".image.nii.gz"));

    /// <summary>Where case <paramref name="name"/> was written back as a volume.</summary>
    public string VolumeCopyOf(string name) => Path.Combine(Folder, "written", name + ".volume.nii.gz");

    private IReadOnlyDictionary<string, (OracleRecord, OracleRecord)> WriteBack()
    {
        var outputs = new List<string>();
        foreach (var c in NibabelCase.All)
        {
            using var image = NiftiReader.Read(PathOf(c.Name));
            using var volume = image.ToVolume();
            NiftiWriter.Write(ImageCopyOf(c.Name), image);
            NiftiWriter.Write(VolumeCopyOf(c.Name), volume);
            outputs.Add(ImageCopyOf(c.Name));
            outputs.Add(VolumeCopyOf(c.Name));
        }
        var records = NibabelOracle.Describe(outputs, Path.Combine(Folder, "written-oracle"));
        return NibabelCase.All.Select((c, n) => (c.Name, Records: (records[2 * n], records[2 * n + 1])))
            .ToDictionary(item => item.Name, item => item.Records);
    }

    /// <summary>The temporary folder holding the images.</summary>
    public string Folder { get; }

    /// <summary>nibabel's view of each case, by case name.</summary>
    public IReadOnlyDictionary<string, OracleRecord> Oracle { get; }

    /// <summary>The case called <paramref name="name"/>.</summary>
    public static NibabelCase Case(string name) => NibabelCase.All.Single(c => c.Name == name);

    /// <summary>The path of the image of case <paramref name="name"/>.</summary>
    public string PathOf(string name) => Path.Combine(Folder, Case(name).FileName);

    /// <inheritdoc />
    public void Dispose() => Directory.Delete(Folder, recursive: true);
}

/// <summary>Shares one <see cref="NibabelGeneratedFiles"/> between the conformance and round-trip tests.</summary>
[CollectionDefinition(Name)]
public sealed class NibabelGeneratedCollection : ICollectionFixture<NibabelGeneratedFiles>
{
    /// <summary>The collection name.</summary>
    public const string Name = "nibabel-generated NIfTI files";
}
