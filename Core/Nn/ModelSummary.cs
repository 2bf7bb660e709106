using TorchSharp;

namespace Pipeline.Core.Nn;

/// <summary>Parameter and buffer counts of a module, overall and per top-level child (<c>pipeline model info</c>).</summary>
/// <param name="Parameters">Elements of all parameters.</param>
/// <param name="TrainableParameters">Elements of parameters that require gradients.</param>
/// <param name="Buffers">Elements of all buffers (e.g. BatchNorm running statistics).</param>
/// <param name="Modules">Parameter elements per top-level child module, in registration order.</param>
public sealed record ModelSummary(long Parameters, long TrainableParameters, long Buffers, IReadOnlyList<(string Name, long Parameters)> Modules)
{
    /// <summary>Counts the parameters and buffers of <paramref name="module"/>.</summary>
    public static ModelSummary Of(torch.nn.Module module)
    {
        long parameters = 0, trainable = 0;
        foreach (var (_, p) in module.named_parameters())
        {
            parameters += p.numel();
            if (p.requires_grad) trainable += p.numel();
        }
        long buffers = module.named_buffers().Sum(b => b.buffer.numel());
        var children = module.named_children()
            .Select(c => (c.name, c.module.parameters().Sum(p => p.numel())))
            .ToList();
        return new ModelSummary(parameters, trainable, buffers, children);
    }
}
