using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>
/// Keeps only the largest connected component of each chosen label in a label map and sets the voxels of its other
/// components to background (0): MONAI's <c>KeepLargestConnectedComponent</c> on a label map with
/// <c>independent=True</c>, and nnU-Net's "remove all but the largest component" post-processing. Labels not listed
/// are left alone. Of several equally large components the one reached first in raster order (I, then J, then K
/// slowest-to-fastest, as the tensor is laid out) is kept.
/// </summary>
/// <remarks>
/// Works on a CPU copy as 32-bit labels plus one 32-bit component index per voxel (8 bytes per voxel: 630 MB for a
/// 512×512×300 CT), whatever the label map's device and type.
/// </remarks>
public sealed record LargestComponentFilter
{
    /// <summary>Face neighbours only (6).</summary>
    public const int FaceConnectivity = 6;

    /// <summary>Faces and edges (18).</summary>
    public const int EdgeConnectivity = 18;

    /// <summary>Faces, edges and corners (26): MONAI's and scikit-image's default, full connectivity.</summary>
    public const int FullConnectivity = 26;

    /// <summary>The labels (≥ 1) whose smaller components are removed.</summary>
    public required IReadOnlyList<long> Labels { get; init; }

    /// <summary>Neighbourhood that connects voxels: 6, 18 or 26 (default 26).</summary>
    public int Connectivity { get; init; } = FullConnectivity;

    /// <summary>
    /// The filter of the stage options <c>keep_largest_component</c> and <c>component_connectivity</c>, or null when
    /// no label is listed.
    /// </summary>
    public static LargestComponentFilter? FromOptions(long[] labels, int connectivity) =>
        labels.Length == 0 ? null : new LargestComponentFilter { Labels = labels, Connectivity = connectivity };

    /// <summary>
    /// Problems of the options <c>keep_largest_component</c> (may be empty: no post-processing) and
    /// <c>component_connectivity</c> (checked either way).
    /// </summary>
    public static IEnumerable<(string Key, string Message)> OptionProblems(IReadOnlyList<long> labels, int connectivity)
    {
        foreach (var label in labels.Where(label => label < 1))
            yield return ("keep_largest_component", $"labels must be foreground classes (>= 1), got {label}.");
        if (connectivity is not (FaceConnectivity or EdgeConnectivity or FullConnectivity))
            yield return ("component_connectivity", $"must be 6, 18 or 26, got {connectivity}.");
    }

    /// <summary>The first label that is not a class index below <paramref name="classCount"/>, or null.</summary>
    public long? LabelOutside(long classCount) => Labels.Where(label => label >= classCount).Cast<long?>().FirstOrDefault();

    /// <summary>Every problem with these settings, by snake_case option name.</summary>
    public IEnumerable<(string Key, string Message)> Validate()
    {
        if (Labels.Count == 0)
            yield return ("keep_largest_component", "must list at least one label.");
        foreach (var problem in OptionProblems(Labels, Connectivity))
            yield return problem;
    }

    /// <summary>The filtered label map: a new tensor of the input's type and device.</summary>
    /// <param name="labels">[I, J, K] integer labels.</param>
    /// <exception cref="ArgumentException">The map is not a 3-D integer tensor or the settings are invalid.</exception>
    public Tensor Apply(Tensor labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var problems = Validate().ToList();
        if (problems.Count > 0)
            throw new ArgumentException(string.Join("; ", problems.Select(p => $"{p.Key} {p.Message}")));
        if (labels.dim() != 3 || labels.is_floating_point() || labels.dtype == ScalarType.Bool)
            throw new ArgumentException($"Expected an integer label map [I, J, K], got {labels.dtype} [{string.Join(", ", labels.shape)}].", nameof(labels));
        long voxels = labels.numel();
        if (voxels > int.MaxValue)
            throw new ArgumentException($"A label map of {voxels} voxels exceeds the {int.MaxValue} this filter indexes.", nameof(labels));

        var shape = new[] { (int)labels.shape[0], (int)labels.shape[1], (int)labels.shape[2] };
        int[] values;
        using (var copy = labels.to(ScalarType.Int32, CPU).contiguous())
            values = copy.data<int>().ToArray();

        var component = new int[values.Length];
        var offsets = NeighbourOffsets(Connectivity);
        foreach (long label in Labels.Distinct())
            KeepLargest(values, component, shape, (int)label, offsets);

        using var filtered = tensor(values, labels.shape);
        return filtered.to(labels.dtype, labels.device);
    }

    /// <summary>Labels the components of <paramref name="label"/> in <paramref name="component"/> (1, 2, …) and clears all but the largest.</summary>
    private static void KeepLargest(int[] values, int[] component, int[] shape, int label, (int Di, int Dj, int Dk)[] offsets)
    {
        Array.Clear(component);
        var sizes = new List<long> { 0 }; // index 0 unused: "no component"
        var stack = new Stack<int>();
        int planeSize = shape[1] * shape[2], rowSize = shape[2];
        for (int seed = 0; seed < values.Length; seed++)
        {
            if (values[seed] != label || component[seed] != 0) continue;
            int id = sizes.Count;
            long size = 0;
            component[seed] = id;
            stack.Push(seed);
            while (stack.Count > 0)
            {
                int voxel = stack.Pop();
                size++;
                int i = voxel / planeSize, j = voxel % planeSize / rowSize, k = voxel % rowSize;
                foreach (var (di, dj, dk) in offsets)
                {
                    int ni = i + di, nj = j + dj, nk = k + dk;
                    if ((uint)ni >= (uint)shape[0] || (uint)nj >= (uint)shape[1] || (uint)nk >= (uint)shape[2]) continue;
                    int neighbour = ni * planeSize + nj * rowSize + nk;
                    if (values[neighbour] != label || component[neighbour] != 0) continue;
                    component[neighbour] = id;
                    stack.Push(neighbour);
                }
            }
            sizes.Add(size);
        }
        if (sizes.Count <= 2) return; // zero or one component: nothing to remove

        int largest = 1;
        for (int id = 2; id < sizes.Count; id++)
            if (sizes[id] > sizes[largest]) largest = id;
        for (int voxel = 0; voxel < values.Length; voxel++)
            if (component[voxel] != 0 && component[voxel] != largest) values[voxel] = 0;
    }

    /// <summary>The neighbour offsets of a connectivity: those with 1 (6), at most 2 (18) or at most 3 (26) non-zero steps.</summary>
    private static (int Di, int Dj, int Dk)[] NeighbourOffsets(int connectivity)
    {
        int maxNonZero = connectivity switch { FaceConnectivity => 1, EdgeConnectivity => 2, _ => 3 };
        var offsets = new List<(int, int, int)>();
        for (int di = -1; di <= 1; di++)
        for (int dj = -1; dj <= 1; dj++)
        for (int dk = -1; dk <= 1; dk++)
        {
            int nonZero = (di != 0 ? 1 : 0) + (dj != 0 ? 1 : 0) + (dk != 0 ? 1 : 0);
            if (nonZero >= 1 && nonZero <= maxNonZero) offsets.Add((di, dj, dk));
        }
        return offsets.ToArray();
    }
}
