namespace Pipeline.Core.Training.Optimizers;

/// <summary>The optimizers of the train stage (YAML: <c>adamw</c>, <c>adam</c>, <c>sgd</c>).</summary>
public enum OptimizerKind
{
    /// <summary>Adam with decoupled weight decay (torch <c>AdamW</c>; the official recipe).</summary>
    Adamw,

    /// <summary>Adam with L2 weight decay added to the gradient (torch <c>Adam</c>).</summary>
    Adam,

    /// <summary>Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay (torch <c>SGD</c>).</summary>
    Sgd,
}
