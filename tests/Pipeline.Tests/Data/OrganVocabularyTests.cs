using Pipeline.Core.Data;

namespace Pipeline.Tests.Data;

public sealed class OrganVocabularyTests
{
    [Theory]
    [InlineData("Spleen", "spleen")]
    [InlineData("right kidney", "kidney_right")]
    [InlineData("Left-Kidney", "kidney_left")]
    [InlineData("IVC", "inferior_vena_cava")]
    [InlineData("postcava", "inferior_vena_cava")]
    [InlineData("prostate/uterus", "prostate_uterus")]
    [InlineData("right adrenal gland", "adrenal_gland_right")]
    [InlineData("Gall Bladder", "gallbladder")]
    [InlineData("something new", "something_new")]
    public void DatasetSpellingsMapToVocabularyNames(string spelling, string expected) =>
        Assert.Equal(expected, OrganVocabulary.Normalize(spelling));

    [Fact]
    public void ADatasetClassCoversItsAncestorsOnly()
    {
        Assert.True(OrganVocabulary.Covers("kidney", "kidney_left"));
        Assert.True(OrganVocabulary.Covers("kidney", "kidney_tumor"));
        Assert.True(OrganVocabulary.Covers("spleen", "spleen"));
        Assert.False(OrganVocabulary.Covers("kidney_left", "kidney"));
        Assert.False(OrganVocabulary.Covers("liver", "spleen"));
    }
}
