using Pipeline.Core.Engine;

namespace Pipeline.Core.Plugins;

/// <summary>One named step of a pipeline (train, validate, ...).</summary>
public interface IStage : IConfigurablePlugin
{
    /// <summary>Runs the stage. Honour <paramref name="cancellationToken"/> between steps.</summary>
    Task<StageResult> RunAsync(StageContext context, object options, CancellationToken cancellationToken);
}
