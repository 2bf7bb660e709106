using Pipeline.Core.Data;

namespace Pipeline.Tests.Data;

public sealed class CrossValidationSplitTests
{
    private static readonly string[] Ids = Enumerable.Range(0, 23).Select(n => $"case_{n:000}").ToArray();

    [Fact]
    public void FoldsPartitionTheCasesAndIgnoreInputOrder()
    {
        var folds = CrossValidationSplit.Create(Ids, 5, seed: 12345);
        var shuffledInput = CrossValidationSplit.Create(Ids.Reverse(), 5, seed: 12345);
        Assert.Equal(5, folds.Count);
        Assert.Equal(Ids.Order(), folds.SelectMany(f => f.Validation).Order());
        foreach (var (train, validation) in folds)
        {
            Assert.Empty(train.Intersect(validation));
            Assert.Equal(Ids.Length, train.Count + validation.Count);
            Assert.InRange(validation.Count, 4, 5);
        }
        Assert.Equal(folds.Select(f => f.Validation), shuffledInput.Select(f => f.Validation));
    }

    [Fact]
    public void TheSeedChangesTheAssignment()
    {
        var a = CrossValidationSplit.Create(Ids, 5, seed: 1);
        var b = CrossValidationSplit.Create(Ids, 5, seed: 2);
        Assert.NotEqual(a[0].Validation, b[0].Validation);
    }

    [Fact]
    public void SaveAndLoadRoundTripInTheNnUnetLayout()
    {
        string path = Path.Combine(Path.GetTempPath(), $"splits-{Guid.NewGuid():N}.json");
        try
        {
            var folds = CrossValidationSplit.Create(Ids, 3, seed: 7);
            CrossValidationSplit.Save(path, folds);
            Assert.Contains("\"val\"", File.ReadAllText(path));
            var loaded = CrossValidationSplit.Load(path);
            Assert.Equal(folds.Select(f => f.Train), loaded.Select(f => f.Train));
            Assert.Equal(folds.Select(f => f.Validation), loaded.Select(f => f.Validation));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ABrokenSplitsFileNamesTheFoldAndKey()
    {
        string path = Path.Combine(Path.GetTempPath(), $"splits-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, """[{"train": ["a"], "val": ["b"]}, {"train": ["a"], "val": [3]}]""");
            var error = Assert.Throws<InvalidDataException>(() => CrossValidationSplit.Load(path));
            Assert.Contains("fold 1", error.Message);
            Assert.Contains("'val'[0]", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TooFewCasesForTheFoldsIsAnError() =>
        Assert.Throws<ArgumentException>(() => CrossValidationSplit.Create(["a", "b"], 3, seed: 0));
}
