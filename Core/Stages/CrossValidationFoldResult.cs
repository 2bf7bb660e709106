using System.Text.Json;
using System.Text.Json.Serialization;
using Pipeline.Core.Metrics;

namespace Pipeline.Core.Stages;

/// <summary>
/// A finished fold of the <c>cross-validate</c> stage, as recorded in its <c>fold_result.json</c>: written last and
/// atomically, so its presence marks the fold as done, and complete enough (every held-out case's metrics) that the
/// stage's tables are rebuilt from it when the fold is skipped.
/// </summary>
public sealed record CrossValidationFoldResult
{
    /// <summary>JSON settings of the file (NaN metrics written as "NaN").</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>The fold (0-based).</summary>
    public required int Fold { get; init; }

    /// <summary>
    /// Hash of everything the result depends on (the fold's cases, the training options, model and seed, the scored
    /// checkpoint and the scoring options); a result whose hash differs from the current one is redone.
    /// </summary>
    public required string Fingerprint { get; init; }

    /// <summary>The scored checkpoint, relative to the fold's folder.</summary>
    public required string Checkpoint { get; init; }

    /// <summary>The fold's training summary (iterations, final loss, best validation, seconds).</summary>
    public required Dictionary<string, JsonElement> Training { get; init; }

    /// <summary>Mean Dice over the classes (see <see cref="MetricsReport.MeanDice"/>).</summary>
    public double MeanDice { get; init; }

    /// <summary>Mean HD95 in mm over the classes.</summary>
    public double MeanHd95Mm { get; init; }

    /// <summary>Mean NSD over the classes.</summary>
    public double MeanNsd { get; init; }

    /// <summary>Every held-out case's metrics.</summary>
    public required IReadOnlyList<CaseMetrics> Cases { get; init; }

    /// <summary>Reads the record at <paramref name="path"/>; null when it is unreadable (then the fold is redone).</summary>
    public static CrossValidationFoldResult? TryRead(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<CrossValidationFoldResult>(File.ReadAllText(path), Json);
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or IOException)
        {
            return null;
        }
    }
}
