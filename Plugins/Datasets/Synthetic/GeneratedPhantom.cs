namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>One generated phantom as plain arrays, laid out row-major over (D, H, W).</summary>
/// <param name="Image">Normalised intensities (zero mean, unit standard deviation over the volume).</param>
/// <param name="Label">Class index per voxel (0 = background).</param>
/// <param name="Size">Voxels per axis (D, H, W).</param>
/// <param name="Spacing">Millimetres per voxel per axis (D, H, W).</param>
internal sealed record GeneratedPhantom(float[] Image, long[] Label, int[] Size, double[] Spacing);
