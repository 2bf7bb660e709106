namespace Pipeline.Core.Engine;

/// <summary>One progress report of a long stage.</summary>
/// <param name="Stage">Stage name.</param>
/// <param name="Step">Completed steps.</param>
/// <param name="Total">Total steps.</param>
/// <param name="Values">Named values to show (e.g. loss).</param>
public sealed record ProgressUpdate(string Stage, long Step, long Total, IReadOnlyDictionary<string, double> Values);

/// <summary>Shows progress: a live line on an interactive console, plain log lines otherwise.</summary>
public interface IProgressSink
{
    /// <summary>Reports progress; implementations compute rate and ETA.</summary>
    void Report(ProgressUpdate update);

    /// <summary>Ends the current progress display (e.g. finishes the live line).</summary>
    void Complete(string stage);
}
