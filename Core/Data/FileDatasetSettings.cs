namespace Pipeline.Core.Data;

/// <summary>How a <see cref="FileSegmentationDataset"/> checks and loads its cases.</summary>
public sealed record FileDatasetSettings
{
    /// <summary>How much to check when the dataset is opened.</summary>
    public DatasetVerification Verification { get; init; } = DatasetVerification.Headers;

    /// <summary>Whether an invalid case stops the run or is left out with a warning.</summary>
    public InvalidCasePolicy OnInvalidCase { get; init; } = InvalidCasePolicy.Fail;

    /// <summary>Largest allowed element-wise difference (mm) between an image's and its label's affine.</summary>
    public double AffineTolerance { get; init; } = 1e-3;

    /// <summary>
    /// When true, a label whose grid has the image's shape but an affine beyond the tolerance is accepted and given
    /// the image's affine (a warning names the case): the usual repair for labels saved with a drifted header. When
    /// false (the default), that case is invalid.
    /// </summary>
    public bool TrustImageGeometry { get; init; }
}
