using Pipeline.Core.Imaging;

namespace Pipeline.Tests.Datasets;

/// <summary>
/// One case of a generated dataset folder: a small image and label on a grid, and what (if anything) is broken about it.
/// </summary>
public sealed record FixtureCase(string Id)
{
    /// <summary>Image shape (i, j, k); 4-D adds a fourth extent.</summary>
    public long[] ImageShape { get; init; } = [6, 5, 4];

    /// <summary>Label shape; default: the image's spatial shape.</summary>
    public long[]? LabelShape { get; init; }

    /// <summary>Image affine.</summary>
    public AffineMatrix Affine { get; init; } = AffineMatrix.FromDiagonal(-0.8, -0.8, 2.5, 100, 90, -40);

    /// <summary>Label affine; default: the image's.</summary>
    public AffineMatrix? LabelAffine { get; init; }

    /// <summary>The largest label value written (values cycle 0..MaxLabel); 0 writes an empty label.</summary>
    public int MaxLabel { get; init; } = 1;

    /// <summary>Whether the label file is left out.</summary>
    public bool WithoutLabel { get; init; }

    /// <summary>The broken variants every layout must reject, each naming this case id.</summary>
    public static IEnumerable<(string Breakage, FixtureCase Case, bool NeedsFullVerification)> Broken(string id, int maxDeclaredLabel) =>
    [
        ("missing label", new FixtureCase(id) { WithoutLabel = true }, false),
        ("shape mismatch", new FixtureCase(id) { LabelShape = [6, 5, 3] }, false),
        ("affine mismatch", new FixtureCase(id) { LabelAffine = AffineMatrix.FromDiagonal(-0.8, -0.8, 2.5, 100, 90, -35) }, false),
        ("4-D label", new FixtureCase(id) { LabelShape = [6, 5, 4, 2] }, false),
        ("undeclared label value", new FixtureCase(id) { MaxLabel = maxDeclaredLabel + 3 }, true),
        ("empty foreground", new FixtureCase(id) { MaxLabel = 0 }, true),
    ];
}
