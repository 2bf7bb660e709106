namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>
/// The voxel grid of one phantom: its size and spacing, and the physical (millimetre) coordinate of every voxel
/// centre, with the origin at the volume's centre. Structures are defined in millimetres, so anisotropic spacing
/// squashes them in voxel space the way it does in real scans.
/// </summary>
internal sealed class PhantomGrid
{
    /// <param name="size">Voxels per axis (D, H, W).</param>
    /// <param name="spacing">Millimetres per voxel per axis (D, H, W).</param>
    public PhantomGrid(int[] size, double[] spacing)
    {
        Size = size;
        Spacing = spacing;
        Coordinates = new double[3][];
        for (int axis = 0; axis < 3; axis++)
        {
            Coordinates[axis] = new double[size[axis]];
            for (int i = 0; i < size[axis]; i++)
                Coordinates[axis][i] = (i - (size[axis] - 1) / 2.0) * spacing[axis];
        }
    }

    /// <summary>Voxels per axis (D, H, W).</summary>
    public int[] Size { get; }

    /// <summary>Millimetres per voxel per axis (D, H, W).</summary>
    public double[] Spacing { get; }

    /// <summary>Physical coordinate of voxel centres, per axis.</summary>
    public double[][] Coordinates { get; }

    /// <summary>Total number of voxels.</summary>
    public int VoxelCount => Size[0] * Size[1] * Size[2];

    /// <summary>Half the field of view along each axis, in millimetres.</summary>
    public Point3 HalfExtent => new(Size[0] * Spacing[0] / 2, Size[1] * Spacing[1] / 2, Size[2] * Spacing[2] / 2);

    /// <summary>Flat (row-major D, H, W) index of a voxel.</summary>
    public int Index(int d, int h, int w) => (d * Size[1] + h) * Size[2] + w;

    /// <summary>Physical position of a voxel centre.</summary>
    public Point3 Position(int d, int h, int w) => new(Coordinates[0][d], Coordinates[1][h], Coordinates[2][w]);

    /// <summary>The inclusive voxel index range along <paramref name="axis"/> covering [centre − radius, centre + radius].</summary>
    public (int First, int Last) Range(int axis, double centre, double radius)
    {
        double offset = (Size[axis] - 1) / 2.0;
        int first = (int)Math.Ceiling((centre - radius) / Spacing[axis] + offset);
        int last = (int)Math.Floor((centre + radius) / Spacing[axis] + offset);
        return (Math.Max(first, 0), Math.Min(last, Size[axis] - 1));
    }
}
