using Pipeline.Core.Data;
using static TorchSharp.torch;

namespace Pipeline.Tests.Data;

public sealed class LabelSchemeTests
{
    [Fact]
    public void NamesAreNormalisedToTheVocabularyInValueOrder()
    {
        var scheme = LabelScheme.Create(new Dictionary<int, string> { [0] = "Background", [1] = "Spleen", [2] = "Right Kidney", [3] = "IVC" });
        Assert.Equal(["background", "spleen", "kidney_right", "inferior_vena_cava"], scheme.ClassNames);
    }

    [Fact]
    public void MergedNamesShareOneClassAndValuesMapThroughTheTable()
    {
        var scheme = LabelScheme.Create(
            new Dictionary<int, string> { [0] = "background", [1] = "kidney", [2] = "kidney_tumor", [3] = "kidney_cyst" },
            new Dictionary<string, string> { ["kidney_tumor"] = "kidney", ["Kidney Cyst"] = "kidney" });
        Assert.Equal(["background", "kidney"], scheme.ClassNames);
        using var stored = tensor(new short[] { 0, 1, 2, 3, 2, 0 });
        using var classes = scheme.Apply(stored, "case 'x'");
        Assert.Equal(ScalarType.Int64, classes.dtype);
        Assert.Equal([0L, 1, 1, 1, 1, 0], classes.data<long>().ToArray());
    }

    [Fact]
    public void GapsInTheDeclaredValuesAreAllowedAndUndeclaredValuesAreNamed()
    {
        var scheme = LabelScheme.Create(new Dictionary<int, string> { [0] = "background", [2] = "liver" });
        using var ok = scheme.Apply(tensor(new float[] { 0, 2, 2 }), "case 'a'");
        Assert.Equal([0L, 1, 1], ok.data<long>().ToArray());
        var error = Assert.Throws<InvalidDataException>(() => scheme.Apply(tensor(new float[] { 0, 1, 2, 7 }), "case 'a' (a.nii.gz)"));
        Assert.Contains("case 'a' (a.nii.gz)", error.Message);
        Assert.Contains("[1, 7]", error.Message);
        Assert.Contains("0=background, 2=liver", error.Message);
    }

    [Fact]
    public void NonIntegerLabelValuesAreRejected()
    {
        var scheme = LabelScheme.Create(new Dictionary<int, string> { [0] = "background", [1] = "liver" });
        var error = Assert.Throws<InvalidDataException>(() => scheme.Apply(tensor(new float[] { 0, 0.5f }), "case 'b'"));
        Assert.Contains("non-integer", error.Message);
    }

    [Fact]
    public void MissingBackgroundOrUnknownMergeSourceIsAnError()
    {
        Assert.Throws<ArgumentException>(() => LabelScheme.Create(new Dictionary<int, string> { [1] = "liver" }));
        var error = Assert.Throws<ArgumentException>(() => LabelScheme.Create(
            new Dictionary<int, string> { [0] = "background", [1] = "liver" }, new Dictionary<string, string> { ["spleen"] = "liver" }));
        Assert.Contains("'spleen'", error.Message);
    }
}
