namespace Pipeline.Tests.Training;

/// <summary>
/// The stage tests seed torch's process-wide generator and use both cores, so they run alone: not in parallel with
/// each other or with other test classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TrainingStagesCollection
{
    public const string Name = "Training stages";
}
