namespace Pipeline.Core.Metrics;

/// <summary>
/// Exact squared Euclidean distance transform on a grid with anisotropic spacing (Felzenszwalb &amp; Huttenlocher,
/// "Distance Transforms of Sampled Functions", Theory of Computing 8, 2012): for every voxel, the squared distance in
/// physical units to the nearest feature voxel. The transform is separable: one pass per axis computes, along each line,
/// the lower envelope of the parabolas w²(p − q)² + f(q), in O(n) per line. Lines are independent and run in parallel.
/// </summary>
public static class EuclideanDistanceTransform
{
    /// <summary>Below this many voxels the passes run on the calling thread; scheduling would cost more than it saves.</summary>
    private const int ParallelThreshold = 1 << 15;

    /// <summary>Squared distances to the nearest voxel where <paramref name="features"/> is true.</summary>
    /// <param name="features">Row-major grid of <paramref name="shape"/> (last axis fastest); true marks a feature voxel.</param>
    /// <param name="shape">Axis lengths (any rank ≥ 1).</param>
    /// <param name="spacing">Physical size of a step along each axis (e.g. mm); finite and positive.</param>
    /// <returns>Squared distances in squared physical units; 0 on features; +∞ everywhere when there is no feature.</returns>
    public static double[] Squared(ReadOnlySpan<bool> features, IReadOnlyList<int> shape, IReadOnlyList<double> spacing)
    {
        if (shape.Count == 0 || shape.Any(n => n < 1))
            throw new ArgumentException($"The distance transform needs positive axis lengths, got [{string.Join(", ", shape)}].", nameof(shape));
        if (spacing.Count != shape.Count || spacing.Any(s => !double.IsFinite(s) || s <= 0))
            throw new ArgumentException(
                $"The distance transform needs one finite positive spacing per axis ({shape.Count}), got [{string.Join(", ", spacing)}].", nameof(spacing));
        long total = shape.Aggregate(1L, (product, n) => product * n);
        if (features.Length != total)
            throw new ArgumentException($"The grid has {features.Length} voxels but the shape [{string.Join(", ", shape)}] needs {total}.", nameof(features));

        var distances = new double[total];
        for (int index = 0; index < distances.Length; index++)
            distances[index] = features[index] ? 0.0 : double.PositiveInfinity;

        for (int axis = 0; axis < shape.Count; axis++)
        {
            int length = shape[axis];
            if (length == 1) continue; // a single sample along the axis: the pass changes nothing
            int stride = 1;
            for (int later = axis + 1; later < shape.Count; later++) stride *= shape[later];
            int lines = (int)(total / length);
            double weight = spacing[axis] * spacing[axis];
            if (total < ParallelThreshold)
            {
                var buffers = new LineBuffers(length);
                for (int line = 0; line < lines; line++)
                    TransformLine(distances, line, length, stride, weight, buffers);
            }
            else
            {
                Parallel.For(0, lines, () => new LineBuffers(length), (line, _, buffers) =>
                {
                    TransformLine(distances, line, length, stride, weight, buffers);
                    return buffers;
                }, _ => { });
            }
        }
        return distances;
    }

    /// <summary>Gathers one line along the axis, transforms it and writes it back.</summary>
    private static void TransformLine(double[] grid, int line, int length, int stride, double weight, LineBuffers buffers)
    {
        // Lines are numbered (outer, inner): outer walks the axes before this one, inner the axes after it.
        int start = line / stride * length * stride + line % stride;
        for (int p = 0, index = start; p < length; p++, index += stride) buffers.Input[p] = grid[index];
        LowerEnvelope(buffers, length, weight);
        for (int p = 0, index = start; p < length; p++, index += stride) grid[index] = buffers.Output[p];
    }

    /// <summary>
    /// One-dimensional pass: Output[p] = min over q of weight·(p − q)² + Input[q]. Samples at +∞ contribute no parabola;
    /// a line without any finite sample stays +∞.
    /// </summary>
    private static void LowerEnvelope(LineBuffers buffers, int length, double weight)
    {
        double[] f = buffers.Input, d = buffers.Output, z = buffers.Boundaries;
        int[] v = buffers.Parabolas;
        int k = -1; // index of the rightmost parabola in the envelope
        for (int q = 0; q < length; q++)
        {
            if (double.IsPositiveInfinity(f[q])) continue;
            if (k < 0)
            {
                k = 0;
                v[0] = q;
                z[0] = double.NegativeInfinity;
                z[1] = double.PositiveInfinity;
                continue;
            }
            double s = Intersection(f, v[k], q, weight);
            // z[0] is −∞, so the loop always stops with k ≥ 0.
            while (s <= z[k])
            {
                k--;
                s = Intersection(f, v[k], q, weight);
            }
            k++;
            v[k] = q;
            z[k] = s;
            z[k + 1] = double.PositiveInfinity;
        }
        if (k < 0)
        {
            Array.Fill(d, double.PositiveInfinity, 0, length);
            return;
        }
        k = 0;
        for (int p = 0; p < length; p++)
        {
            while (z[k + 1] < p) k++;
            double offset = p - v[k];
            d[p] = weight * offset * offset + f[v[k]];
        }
    }

    /// <summary>Where the parabolas rooted at <paramref name="left"/> and <paramref name="right"/> (left &lt; right) cross.</summary>
    private static double Intersection(double[] f, int left, int right, double weight) =>
        (f[right] + weight * ((double)right * right) - (f[left] + weight * ((double)left * left))) / (2.0 * weight * (right - left));

    /// <summary>Per-thread scratch space for one line.</summary>
    private sealed class LineBuffers(int length)
    {
        public double[] Input { get; } = new double[length];
        public double[] Output { get; } = new double[length];
        public int[] Parabolas { get; } = new int[length];
        public double[] Boundaries { get; } = new double[length + 1];
    }
}
