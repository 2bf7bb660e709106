using TorchSharp;
using TorchSharp.Modules;

namespace Pipeline.Core.Training.Optimizers;

/// <summary>
/// Builds TorchSharp's managed Adam, AdamW and SGD. All three derive from <see cref="OptimizerHelper"/>, whose
/// <c>save_state_dict</c>/<c>load_state_dict</c> write and read the per-parameter state (Adam/AdamW: step, exp_avg,
/// exp_avg_sq; SGD: momentum_buffer) and the group options bit-exactly, which is what makes an exact resume possible.
/// </summary>
public static class OptimizerFactory
{
    /// <summary>A new optimizer over <paramref name="parameters"/> as <paramref name="settings"/> describe.</summary>
    public static OptimizerHelper Create(OptimizerSettings settings, IEnumerable<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.Kind switch
        {
            OptimizerKind.Adamw => torch.optim.AdamW(parameters, settings.LearningRate, settings.Beta1, settings.Beta2,
                                                     settings.Epsilon, settings.WeightDecay),
            OptimizerKind.Adam => torch.optim.Adam(parameters, settings.LearningRate, settings.Beta1, settings.Beta2,
                                                   settings.Epsilon, settings.WeightDecay),
            OptimizerKind.Sgd => torch.optim.SGD(parameters, settings.LearningRate, settings.Momentum, dampening: 0,
                                                 settings.WeightDecay, settings.Nesterov),
            _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "Unknown optimizer."),
        };
    }

    /// <summary>Sets the rate of every parameter group of <paramref name="optimizer"/> (the schedule's value for the next step).</summary>
    public static void SetLearningRate(torch.optim.Optimizer optimizer, double rate)
    {
        foreach (var group in optimizer.ParamGroups)
            group.LearningRate = rate;
    }
}
