using System.ComponentModel;

namespace Pipeline.Core.Transforms;

/// <summary>The option every intensity transform has: which volumes it changes.</summary>
public abstract class IntensityOptions
{
    /// <summary>Names of the volumes to change; null (default) changes every image volume and no label map.</summary>
    [Description("Volumes to change (e.g. [image]); default: every image volume.")]
    public List<string>? Keys { get; set; }
}
