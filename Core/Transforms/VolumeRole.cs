namespace Pipeline.Core.Transforms;

/// <summary>What a volume of a sample holds, which decides how transforms treat it.</summary>
public enum VolumeRole
{
    /// <summary>Intensities: resampled trilinearly, changed by intensity transforms.</summary>
    Image,

    /// <summary>A label map: resampled with nearest neighbour, left alone by intensity transforms.</summary>
    Label,
}
