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
