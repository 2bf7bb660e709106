using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Tests.Imaging.Nifti;

/// <summary>
/// Every datatype, both byte orders, NIfTI-1 and -2, scaling, q/sform combinations, 2-D to 7-D, gzip, pairs,
/// extensions and data offsets, written by nibabel: our reader must see the same shape, affine, codes, axis codes,
/// scaling, extensions and voxels as nibabel does.
/// </summary>
[Collection(NibabelGeneratedCollection.Name)]
public sealed class NiftiNibabelConformanceTests(NibabelGeneratedFiles files)
{
    public static TheoryData<string> CaseNames => new(NibabelCase.All.Select(c => c.Name));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ReadsWhatNibabelWrote(string name)
    {
        using var scope = NewDisposeScope();
        using var image = NiftiReader.Read(files.PathOf(name));
        NiftiOracleAssert.Matches(files.Oracle[name], image);
    }

    [Fact]
    public void HeaderOnlyReadAgreesWithFullRead()
    {
        foreach (var name in NibabelCase.All.Select(c => c.Name))
        {
            using var image = NiftiReader.Read(files.PathOf(name));
            var header = NiftiReader.ReadHeader(files.PathOf(name));
            Assert.Equal(NiftiHeaderBinary.Serialize(image.Header), NiftiHeaderBinary.Serialize(header));
            Assert.Equal(image.Header.Extensions.Select(e => (e.Code, Convert.ToHexString(e.Content))), header.Extensions.Select(e => (e.Code, Convert.ToHexString(e.Content))));
        }
    }

    [Fact]
    public void EitherHalfOfAPairNamesTheImage()
    {
        var pair = NibabelCase.All.First(c => c.Pair);
        var header = files.PathOf(pair.Name);
        var data = header.Replace(".hdr", ".img");
        using var fromHeader = NiftiReader.Read(header);
        using var fromData = NiftiReader.Read(data);
        Assert.True(fromHeader.Data.eq(fromData.Data).all().item<bool>());
        Assert.True(fromHeader.Header.IsPair);
    }
}
