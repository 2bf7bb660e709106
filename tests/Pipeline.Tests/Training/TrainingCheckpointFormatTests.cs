using System.Text;
using System.Text.Json;
using Pipeline.Core.Engine;
using static TorchSharp.torch;

namespace Pipeline.Tests.Training;

/// <summary>The training-state section of a model checkpoint: invisible to model readers, read back exactly.</summary>
public class TrainingCheckpointFormatTests
{
    private static ModelDescription Description(JsonElement? training) => new()
    {
        Backbone = "tiny",
        BackboneOptions = JsonSerializer.SerializeToElement(new { }),
        Prior = "none",
        PriorOptions = JsonSerializer.SerializeToElement(new { }),
        Training = training,
    };

    [Fact]
    public void TrainingStateFollowsTheWeightsAndModelReadersIgnoreIt()
    {
        string folder = Directory.CreateTempSubdirectory("ckpt-training-").FullName;
        try
        {
            using var scope = NewDisposeScope();
            manual_seed(1);
            using var network = new TinySegmentationNetwork(1, 2);
            string path = Path.Combine(folder, "latest.ckpt");
            var training = JsonSerializer.SerializeToElement(new { iteration = 7 });
            ModelCheckpoint.Save(network, Description(training), path, writer => writer.Write("optimizer and generators"));

            Assert.Equal(7, ModelCheckpoint.ReadDescription(path).Training!.Value.GetProperty("iteration").GetInt32());
            using var plain = new TinySegmentationNetwork(1, 2);
            ModelCheckpoint.LoadWeights(plain, path);
            TrainTestRuns.AssertSameWeights(network, plain);

            using var resumed = new TinySegmentationNetwork(1, 2);
            string? state = null;
            var description = ModelCheckpoint.LoadWithTrainingState(resumed, path, (_, reader) => state = reader.ReadString());
            Assert.Equal("optimizer and generators", state);
            Assert.Equal(7, description.Training!.Value.GetProperty("iteration").GetInt32());
            TrainTestRuns.AssertSameWeights(network, resumed);

            // Without a section (e.g. best.ckpt or an imported model) there is nothing to resume from, and the header
            // has no training field at all.
            string weightsOnly = Path.Combine(folder, "best.ckpt");
            ModelCheckpoint.Save(network, Description(null), weightsOnly);
            Assert.DoesNotContain("training", Encoding.UTF8.GetString(File.ReadAllBytes(weightsOnly).AsSpan(0, 400)));
            var error = Assert.Throws<InvalidDataException>(() => ModelCheckpoint.LoadWithTrainingState(resumed, weightsOnly, (_, _) => { }));
            Assert.Contains("no training state", error.Message);
            Assert.Empty(Directory.GetFiles(folder, "*.tmp"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
