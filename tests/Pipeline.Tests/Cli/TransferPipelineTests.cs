using System.Text.Json;
using Pipeline.Tests.Training;

namespace Pipeline.Tests.Cli;

/// <summary>
/// One run with the real engine and a tiny 3D UX-Net: train on 2-class phantoms, fine-tune that model on 4-class
/// phantoms (source_stage, new head, frozen encoder for one step), validate the fine-tuned model, cross-validate.
/// </summary>
[Collection(TrainingStagesCollection.Name)]
public class TransferPipelineTests
{
    private const string Yaml = """
        name: transfer-e2e
        seed: 3
        device: cpu
        output_root: runs
        datasets:
          source:
            plugin: synthetic
            options: { cases: 2, validation_cases: 1, size: [16, 16, 16], classes: 1, seed: 5 }
          target:
            plugin: synthetic
            options: { cases: 2, validation_cases: 1, size: [16, 16, 16], classes: 3, seed: 6 }
        model:
          backbone: 3d-ux-net
          options:
            in_channels: 1
            out_channels: 2
            feature_sizes: [4, 8, 16, 32]
            hidden_size: 32
            kernel_size: 3
            head_follows_feature_size: true
        stages:
          - name: train
            plugin: train
            options: { dataset: source, iterations: 2, batch_size: 1, patch_size: [16, 16, 16], validate_every: 2, log_every: 1, roi_size: [16, 16, 16] }
          - name: finetune
            plugin: transfer
            options:
              source_stage: train
              checkpoint: latest
              freeze_encoder_iterations: 1
              dataset: target
              iterations: 2
              batch_size: 1
              patch_size: [16, 16, 16]
              validate_every: 2
              log_every: 1
              roi_size: [16, 16, 16]
          - name: validate
            plugin: validate
            options: { dataset: target, model: finetune, checkpoint: latest, roi_size: [16, 16, 16], overlap: 0 }
          - name: cv
            plugin: cross-validate
            options:
              folds: 3
              case_splits: [train, validation]
              checkpoint: latest
              roi_size: [16, 16, 16]
              overlap: 0
              train: { dataset: source, iterations: 1, batch_size: 1, patch_size: [16, 16, 16], validate_every: 0 }
        """;

    [Fact]
    public async Task TrainThenTransferToOtherClassesThenValidateAndCrossValidate()
    {
        string folder = Directory.CreateTempSubdirectory("pipeline-transfer-").FullName;
        try
        {
            string manifest = TinyPipeline.Write(folder, Yaml);
            string output = Path.Combine(folder, "out");

            var result = await CliRunner.RunAsync("run", manifest, "--out", output);

            Assert.True(result.ExitCode == 0, result.Error + result.Out);
            string run = Assert.Single(Directory.GetDirectories(Path.Combine(output, "transfer-e2e")));
            using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "summary.json")));
            var stages = summary.RootElement.GetProperty("stages");
            Assert.Equal("completed", summary.RootElement.GetProperty("status").GetString());
            // The train stage's checkpoints and the transfer stage's own live side by side.
            Assert.Equal(Path.Combine("checkpoints", "latest.ckpt"), stages.GetProperty("train").GetProperty("artifacts").GetProperty("latest_model").GetString());
            Assert.Equal(Path.Combine("checkpoints", "finetune", "latest.ckpt"),
                         stages.GetProperty("finetune").GetProperty("artifacts").GetProperty("latest_model").GetString());
            // 3D UX-Net's head is its `out` block; the encoder it froze is uxnet_3d.
            var head = stages.GetProperty("finetune").GetProperty("replaced_head").EnumerateArray().Select(k => k.GetString()!).ToList();
            Assert.NotEmpty(head);
            Assert.All(head, key => Assert.StartsWith("out.", key));
            using (var record = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "finetune", "transfer.json"))))
                Assert.Equal("uxnet_3d.", record.RootElement.GetProperty("frozen_prefixes")[0].GetString());
            // The fine-tuned model predicts the target's classes.
            Assert.Equal(["ellipsoid", "tube", "shell"], stages.GetProperty("validate").GetProperty("dice").EnumerateObject().Select(p => p.Name));
            Assert.Equal(3, stages.GetProperty("cv").GetProperty("folds_done").GetInt32());
            Assert.True(File.Exists(Path.Combine(run, "cv", "cv_summary.md")));
            string resolved = File.ReadAllText(Path.Combine(run, "resolved.yaml"));
            Assert.Contains("freeze_encoder_iterations: 1", resolved);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
