using Pipeline.Core.Inference;
using static TorchSharp.torch;

namespace Pipeline.Tests.Inference;

/// <summary>
/// MONAI's <c>sliding_window_inference</c> (1.x, one output, constant zero padding) written out plainly with loops over
/// voxels in double precision, as an independent reference: symmetric padding to the ROI, <c>_get_scan_interval</c>,
/// <c>dense_patch_slices</c>, <c>compute_importance_map</c> from its formula, Σ w · output / Σ w, crop. The network is
/// called on one window at a time.
/// </summary>
internal static class MonaiSlidingWindowReference
{
    public static Tensor Predict(Func<Tensor, Tensor> network, Tensor image, int[] roi, double overlap, BlendMode mode, double sigmaScale = 0.125)
    {
        long n = image.shape[0], channels = image.shape[1];
        var size = image.shape[2..].Select(s => (int)s).ToArray();
        var padBefore = new int[3];
        var padded = new int[3];
        for (int a = 0; a < 3; a++)
        {
            int diff = Math.Max(roi[a] - size[a], 0);
            padBefore[a] = diff / 2;
            padded[a] = size[a] + diff;
        }
        float[] pixels = image.contiguous().data<float>().ToArray();
        float Pixel(long item, long c, int d, int h, int w)
        {
            d -= padBefore[0]; h -= padBefore[1]; w -= padBefore[2];
            if (d < 0 || h < 0 || w < 0 || d >= size[0] || h >= size[1] || w >= size[2]) return 0;
            return pixels[(((item * channels + c) * size[0] + d) * size[1] + h) * size[2] + w];
        }

        var starts = Enumerable.Range(0, 3).Select(a => DenseStarts(padded[a], roi[a], ScanInterval(padded[a], roi[a], overlap))).ToArray();
        var importance = Importance(roi, mode, sigmaScale);

        double[]? sum = null;
        var weight = new double[padded[0] * padded[1] * padded[2]];
        long classes = 0;
        for (long item = 0; item < n; item++)
        foreach (int sd in starts[0])
        foreach (int sh in starts[1])
        foreach (int sw in starts[2])
        {
            var window = new float[channels * roi[0] * roi[1] * roi[2]];
            int index = 0;
            for (long c = 0; c < channels; c++)
                for (int d = 0; d < roi[0]; d++)
                    for (int h = 0; h < roi[1]; h++)
                        for (int w = 0; w < roi[2]; w++)
                            window[index++] = Pixel(item, c, sd + d, sh + h, sw + w);
            float[] output;
            using (var scope = NewDisposeScope())
            {
                var result = network(tensor(window, [1, channels, roi[0], roi[1], roi[2]]));
                classes = result.shape[1];
                output = result.contiguous().data<float>().ToArray();
            }
            sum ??= new double[n * classes * padded[0] * padded[1] * padded[2]];
            for (long c = 0; c < classes; c++)
                for (int d = 0; d < roi[0]; d++)
                    for (int h = 0; h < roi[1]; h++)
                        for (int w = 0; w < roi[2]; w++)
                        {
                            double wt = importance[d, h, w];
                            long voxel = ((long)(sd + d) * padded[1] + sh + h) * padded[2] + sw + w;
                            sum[(item * classes + c) * weight.Length + voxel] += wt * output[((c * roi[0] + d) * roi[1] + h) * roi[2] + w];
                            if (item == 0 && c == 0) weight[voxel] += wt;
                        }
        }

        var result3 = new float[n * classes * size[0] * size[1] * size[2]];
        int k = 0;
        for (long item = 0; item < n; item++)
            for (long c = 0; c < classes; c++)
                for (int d = 0; d < size[0]; d++)
                    for (int h = 0; h < size[1]; h++)
                        for (int w = 0; w < size[2]; w++)
                        {
                            long voxel = ((long)(d + padBefore[0]) * padded[1] + h + padBefore[1]) * padded[2] + w + padBefore[2];
                            result3[k++] = (float)(sum![(item * classes + c) * weight.Length + voxel] / weight[voxel]);
                        }
        return tensor(result3, [n, classes, size[0], size[1], size[2]]);
    }

    /// <summary>MONAI <c>_get_scan_interval</c> for one axis.</summary>
    public static int ScanInterval(int size, int roi, double overlap)
    {
        if (roi == size) return roi;
        int interval = (int)(roi * (1 - overlap));
        return interval > 0 ? interval : 1;
    }

    /// <summary>MONAI <c>dense_patch_slices</c> start positions for one axis.</summary>
    public static List<int> DenseStarts(int size, int roi, int interval)
    {
        int num = (int)Math.Ceiling((double)size / interval);
        int? scanDim = null;
        for (int d = 0; d < num; d++)
            if (d * interval + roi >= size) { scanDim = d; break; }
        int count = scanDim is { } found ? found + 1 : 1;
        var starts = new List<int>();
        for (int idx = 0; idx < count; idx++)
        {
            int start = idx * interval;
            starts.Add(start - Math.Max(start + roi - size, 0));
        }
        return starts;
    }

    /// <summary>MONAI <c>compute_importance_map</c> from its formula, in double.</summary>
    public static double[,,] Importance(int[] roi, BlendMode mode, double sigmaScale)
    {
        var map = new double[roi[0], roi[1], roi[2]];
        double G(int axis, int i)
        {
            double sigma = sigmaScale * roi[axis];
            double x = i - (roi[axis] - 1) / 2.0;
            return Math.Exp(-x * x / (2 * sigma * sigma));
        }
        double min = double.MaxValue;
        for (int d = 0; d < roi[0]; d++)
            for (int h = 0; h < roi[1]; h++)
                for (int w = 0; w < roi[2]; w++)
                {
                    map[d, h, w] = mode == BlendMode.Constant ? 1 : G(0, d) * G(1, h) * G(2, w);
                    min = Math.Min(min, map[d, h, w]);
                }
        double floor = Math.Max(min, 1e-3);
        for (int d = 0; d < roi[0]; d++)
            for (int h = 0; h < roi[1]; h++)
                for (int w = 0; w < roi[2]; w++)
                    map[d, h, w] = Math.Max(map[d, h, w], floor);
        return map;
    }
}
