namespace Pipeline.Core.Imaging.Geometry;

/// <summary>The outcome of <see cref="VolumePairCheck.Check"/>.</summary>
/// <param name="Label">
/// The label map on the image grid: the very volume passed in when it already matched, else a new resampled volume
/// (the caller then owns both and disposes the original when done with it).
/// </param>
/// <param name="Repair">What was done to the label map, or null when nothing was needed.</param>
public sealed record PairCheckResult(Volume Label, string? Repair)
{
    /// <summary>True when the label map was resampled onto the image grid.</summary>
    public bool Repaired => Repair is not null;
}
