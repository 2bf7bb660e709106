using NSubstitute;
using Pipeline.Core.Data;
using Pipeline.Core.Stages;
using Pipeline.Tests.Training;
using static TorchSharp.torch;

namespace Pipeline.Tests.Stages;

/// <summary>
/// The external-validation stage with a network that predicts one class everywhere, so every score has a known answer.
/// </summary>
[Collection(TrainingStagesCollection.Name)]
public sealed class ExternalValidationStageTests
{
    private static readonly string[] ModelClasses = ["background", "liver", "kidney", "spleen"];

    /// <summary>A 4³ case: 8 voxels kidney_left (value 1), 4 voxels kidney_right (value 2).</summary>
    private static InMemoryDataset KidneyDataset()
    {
        var label = new long[64];
        for (int n = 0; n < 8; n++) label[n] = 1;
        for (int n = 8; n < 12; n++) label[n] = 2;
        return new InMemoryDataset(["background", "kidney_left", "kidney_right"], ("k1", new float[64], label, [4, 4, 4]));
    }

    private static InMemoryDataset SpleenDataset()
    {
        var label = new long[64];
        label[63] = 1;
        return new InMemoryDataset(["background", "spleen"], ("s1", new float[64], label, [4, 4, 4]));
    }

    /// <summary>Saves a network whose logits favour class <paramref name="winner"/> at every voxel.</summary>
    private static string ConstantModel(StageTestBed bed, int winner)
    {
        var network = bed.Models.Create();
        using (no_grad())
        {
            foreach (var (name, parameter) in network.named_parameters())
            {
                parameter.zero_();
                if (name == "head.bias") parameter[winner] = 5f;
            }
        }
        string path = Path.Combine(bed.RunDirectory, "constant.ckpt");
        bed.Models.Save(network, path);
        network.Dispose();
        return path;
    }

    private static ExternalValidationOptions Options(string checkpoint, params string[] datasets) => new()
    {
        CheckpointFile = checkpoint, ModelClasses = ModelClasses, Datasets = datasets, RoiSize = [4, 4, 4], Overlap = 0, SwBatchSize = 1, Split = "train",
    };

    [Fact]
    public async Task ScoresEachDatasetOnTheOrgansItShares()
    {
        using var bed = new StageTestBed();
        bed.Datasets.Get("kidneys").Returns(KidneyDataset());
        bed.Datasets.Get("spleens").Returns(SpleenDataset());
        string checkpoint = ConstantModel(bed, winner: 2);
        var context = bed.Context("external");

        var result = await new ExternalValidationStage().RunAsync(context, Options(checkpoint, "kidneys", "spleens"), CancellationToken.None);

        // kidney predicted everywhere: the model's kidney covers kidney_left + kidney_right (12 voxels) → Dice 2·12/(12+64).
        Assert.Equal(24.0 / 76.0, (double)result.Summary["kidneys/kidney/dice"]!, 9);
        // nothing is predicted as spleen → 0.
        Assert.Equal(0.0, (double)result.Summary["spleens/spleen/dice"]!, 9);
        Assert.False(result.Summary.ContainsKey("kidneys/liver/dice"));
        var csv = File.ReadAllLines(Path.Combine(context.StageDirectory, ExternalValidationStage.CombinedCsvFile));
        Assert.Equal(3, csv.Length);
        Assert.StartsWith("kidneys,kidney,kidney_left+kidney_right,1,", csv[1]);
        var markdown = File.ReadAllText(Path.Combine(context.StageDirectory, ExternalValidationStage.CombinedMarkdownFile));
        Assert.Contains("| model | kidneys kidney | spleens spleen |", markdown);
        Assert.True(File.Exists(Path.Combine(context.StageDirectory, "kidneys", "metrics.json")));
    }

    [Fact]
    public async Task ADatasetWithoutACommonOrganIsNamed()
    {
        using var bed = new StageTestBed();
        bed.Datasets.Get("brains").Returns(new InMemoryDataset(["background", "brain"], ("b", new float[64], new long[64], [4, 4, 4])));
        string checkpoint = ConstantModel(bed, winner: 1);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            new ExternalValidationStage().RunAsync(bed.Context("external"), Options(checkpoint, "brains"), CancellationToken.None));
        Assert.Contains("'brains'", error.Message);
        Assert.Contains("no organ in common", error.Message);
    }

    [Fact]
    public void OptionsNeedExactlyOneModelSourceAndClassSource()
    {
        var problems = new ExternalValidationOptions { Datasets = ["x"] }.Validate().Select(p => p.Key).ToList();
        Assert.Contains("model", problems);
        Assert.Contains("model_dataset", problems);
    }
}
