namespace Pipeline.Core.Plugins;

/// <summary>
/// A stage that can continue a stopped or killed run where its last saved state left off. When
/// <see cref="Engine.StageContext.Resume"/> is set it restores that state, removes its own metrics records past it
/// (<see cref="Engine.IMetricsSink.RemoveRecords"/>) and carries on; without a saved state it starts over (and removes
/// all its records). The engine removes the records of stages that are not resumable before running them again.
/// </summary>
public interface IResumableStage : IStage;
