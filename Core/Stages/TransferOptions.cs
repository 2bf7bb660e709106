using System.ComponentModel;
using Pipeline.Core.Plugins;

namespace Pipeline.Core.Stages;

/// <summary>
/// Options of the <c>transfer</c> stage: every option of the <c>train</c> stage (the fine-tuning run; the paper
/// fine-tunes with the same recipe, AdamW lr 1e-4, all parameters), plus where the trained weights come from, which
/// tensors form the output head that is replaced for the new classes, and how long the encoder stays frozen.
/// </summary>
public sealed class TransferOptions : TrainOptions
{
    /// <summary>
    /// A weight file to start from: a pipeline <c>.ckpt</c> (e.g. from <c>pipeline checkpoint import</c>), or a
    /// PyTorch <c>torch.save</c> state_dict (flat or nested under <c>state_dict</c>/<c>model_state_dict</c>/<c>model</c>,
    /// a leading <c>module.</c> removed) or safetensors file with the original model's keys.
    /// </summary>
    [Description("Weights to start from: a pipeline .ckpt, or a PyTorch (.pth/.pt) or safetensors state_dict (or set source_stage).")]
    public string? SourceCheckpoint { get; set; }

    /// <summary>An earlier training stage of this run whose checkpoint to start from.</summary>
    [StageReference]
    [Description("Earlier train/transfer stage whose checkpoint to start from (or set source_checkpoint).")]
    public string? SourceStage { get; set; }

    /// <summary>Which checkpoint of <see cref="SourceStage"/>.</summary>
    [Description("Which checkpoint of source_stage: best or latest.")]
    public CheckpointChoice Checkpoint { get; set; } = CheckpointChoice.Best;

    /// <summary>
    /// State_dict key prefixes of the output head, which is re-initialised (e.g. <c>out.</c> for 3D UX-Net and
    /// RepUX-Net). Empty: the head is every tensor whose shape differs from the source only in the class count.
    /// </summary>
    [Description("Key prefixes of the output head to re-initialise (e.g. [out.]); default: the tensors whose shape differs only in the class count.")]
    public string[] HeadPrefixes { get; set; } = [];

    /// <summary>Iterations (from the first) during which the encoder's parameters are frozen; 0 trains everything from the start (the paper).</summary>
    [Description("Freeze the encoder for the first N iterations, then train everything (0 = never frozen, as in the paper).")]
    public int FreezeEncoderIterations { get; set; }

    /// <summary>Key prefixes of the frozen parameters; empty: the backbone's encoder (<c>uxnet_3d.</c>, <c>repuxnet_3d.</c>).</summary>
    [Description("Key prefixes of the parameters freeze_encoder_iterations freezes; default: the backbone's encoder (e.g. uxnet_3d.).")]
    public string[] FrozenPrefixes { get; set; } = [];

    /// <inheritdoc />
    public override IEnumerable<(string Key, string Message)> Validate()
    {
        foreach (var problem in base.Validate())
            yield return problem;
        if (string.IsNullOrWhiteSpace(SourceCheckpoint) == string.IsNullOrWhiteSpace(SourceStage))
            yield return ("source_checkpoint", "set exactly one of source_checkpoint (a weight file) and source_stage (an earlier training stage).");
        else if (!string.IsNullOrWhiteSpace(SourceCheckpoint) && !File.Exists(SourceCheckpoint))
            yield return ("source_checkpoint", $"file '{Path.GetFullPath(SourceCheckpoint)}' does not exist.");
        if (!Enum.IsDefined(Checkpoint))
            yield return ("checkpoint", $"must be best or latest, got {Checkpoint}.");
        if (HeadPrefixes is null || HeadPrefixes.Any(string.IsNullOrWhiteSpace))
            yield return ("head_prefixes", "must list non-empty key prefixes, e.g. [out.].");
        if (FreezeEncoderIterations < 0)
            yield return ("freeze_encoder_iterations", $"must be 0 (never frozen) or positive, got {FreezeEncoderIterations}.");
        if (FrozenPrefixes is null || FrozenPrefixes.Any(string.IsNullOrWhiteSpace))
            yield return ("frozen_prefixes", "must list non-empty key prefixes, e.g. [uxnet_3d.].");
    }
}
