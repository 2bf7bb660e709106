using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using static TorchSharp.torch;

namespace Pipeline.Core.Inference;

/// <summary>
/// Writes predictions on the source grid as NIfTI files (atomically, see <see cref="NiftiWriter"/>) that readers see
/// with the source image's geometry. When the volume carries the source file's <see cref="NiftiHeader"/> and lies on
/// its grid (same spatial shape, same affine), the header's qform and sform are kept exactly as they were, codes
/// included, as nibabel does when the affine it is given equals the header's; otherwise both are set from the
/// volume's affine (<see cref="NiftiWriter.WithGeometry"/>). Shape and datatype come from the data; display range
/// (cal_min/cal_max), intent and scaling of the source are cleared, since they describe the source's intensities.
/// </summary>
public static class PredictionFiles
{
    /// <summary>The <c>descrip</c> of label files.</summary>
    public const string LabelDescription = "pipeline segmentation";

    /// <summary>The <c>descrip</c> of probability files.</summary>
    public const string ProbabilityDescription = "pipeline class probabilities";

    // Affine elements (mm) closer than this count as the source's grid; predictions taken back carry the source
    // affine exactly, so any tolerance above rounding works.
    private const double SameGridTolerance = 1e-6;

    /// <summary>
    /// Writes a label map [1, I, J, K] as a 3-D file: uint8 when every value fits, else int16.
    /// </summary>
    /// <exception cref="ArgumentException">The volume has more than one channel, is not of an integer type, or the file name is not .nii/.nii.gz.</exception>
    public static void WriteLabels(string path, Volume labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Channels != 1)
            throw new ArgumentException($"{path}: a label map has one channel, got {labels.Channels}", nameof(labels));
        if (labels.Data.is_floating_point())
            throw new ArgumentException($"{path}: a label map holds class indices, got {labels.Data.dtype}", nameof(labels));
        using var scope = NewDisposeScope();
        var type = labels.Data.dtype == ScalarType.Byte || labels.Data.numel() == 0 || labels.Data.max().to_type(ScalarType.Int64).item<long>() <= byte.MaxValue
            ? NiftiDataType.UInt8
            : NiftiDataType.Int16;
        Write(path, labels, type, LabelDescription);
    }

    /// <summary>Writes class probabilities [C, I, J, K] as a 4-D float32 file [I, J, K, C].</summary>
    /// <exception cref="ArgumentException">The file name is not .nii/.nii.gz.</exception>
    public static void WriteProbabilities(string path, Volume probabilities)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        Write(path, probabilities, NiftiDataType.Float32, ProbabilityDescription);
    }

    private static void Write(string path, Volume volume, NiftiDataType type, string description)
    {
        var options = new NiftiWriteOptions { DataType = type, Description = description };
        if (volume.SourceHeader is not NiftiHeader source)
        {
            NiftiWriter.Write(path, volume, options);
            return;
        }
        var template = source with
        {
            CalMin = 0,
            CalMax = 0,
            IntentCode = 0,
            IntentName = "",
            IntentP1 = 0,
            IntentP2 = 0,
            IntentP3 = 0,
        };
        if (!LiesOnGridOf(source, volume))
        {
            // The writer sets both transforms from the affine; the volume is only borrowed.
            NiftiWriter.Write(path, new Volume(volume.Data, volume.Affine, template), options);
            return;
        }
        using var scope = NewDisposeScope();
        var data = volume.Channels == 1 ? volume.Data.squeeze(0) : volume.Data.permute(1, 2, 3, 0);
        var dim = new long[8];
        dim[0] = data.dim();
        for (var n = 1; n < 8; n++) dim[n] = n <= data.dim() ? data.shape[n - 1] : 1;
        var pixdim = source.PixDim.ToArray();
        // A channel axis the source did not have gets a unit step.
        for (var n = Math.Max(source.Rank, 3) + 1; n < 8; n++) pixdim[n] = 1;
        NiftiWriter.Write(path, new NiftiImage(template with { Dim = dim, PixDim = pixdim }, data), options);
    }

    /// <summary>Whether <paramref name="volume"/> has the spatial shape and the affine of the file <paramref name="source"/> describes.</summary>
    private static bool LiesOnGridOf(NiftiHeader source, Volume volume)
    {
        var shape = new long[3];
        for (var n = 0; n < 3; n++) shape[n] = n < source.Rank ? source.Dim[n + 1] : 1;
        if (!shape.SequenceEqual(volume.SpatialShape)) return false;
        try
        {
            return source.BestAffine().ApproximatelyEquals(volume.Affine, SameGridTolerance);
        }
        catch (NiftiFormatException)
        {
            return false;
        }
    }
}
