namespace Pipeline.Core.Data;

/// <summary>How much a file dataset checks when it is opened (loading always checks the case it loads).</summary>
public enum DatasetVerification
{
    /// <summary>Only that the listed files exist.</summary>
    Files,

    /// <summary>Also every header: dimensions, channel count, image/label shape and affine agreement (fast; the default).</summary>
    Headers,

    /// <summary>Also every label map's values: declared classes only, and a non-empty foreground (reads all labels).</summary>
    Full,
}
