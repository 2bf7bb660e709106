namespace Pipeline.Core.Checkpoints;

/// <summary>The kinds of weight file the checkpoint commands read.</summary>
public enum CheckpointFormat
{
    /// <summary>This framework's self-describing <c>.ckpt</c> (model description plus TorchSharp weights).</summary>
    PipelineCheckpoint,

    /// <summary>A zip-format <c>torch.save</c> of a state_dict.</summary>
    TorchStateDict,

    /// <summary>A zip-format <c>torch.save</c> of a training checkpoint holding the state_dict under a key.</summary>
    TorchNestedCheckpoint,

    /// <summary>A safetensors file.</summary>
    Safetensors,
}
