namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// Every field of a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header, as stored (NIfTI-1's float32 and int16 fields
/// are widened to double and long exactly, so either version round-trips), plus the byte order, whether the file is a
/// single <c>.nii</c> or a <c>.hdr/.img</c> pair, and the header extensions. The legacy Analyze fields of NIfTI-1
/// (<c>data_type</c>, <c>db_name</c>, <c>extents</c>, <c>session_error</c>, <c>regular</c>, <c>glmax</c>,
/// <c>glmin</c>) are unused by the standard and not kept.
/// <para>
/// The header holds the raw values; the derived members (<see cref="Shape"/>, <see cref="Zooms"/>,
/// <see cref="Scaling"/>, <see cref="AffineSource"/>, <see cref="BestAffine"/>) interpret them as nibabel 5 does
/// after loading: a <c>qfac</c> other than ±1 counts as 1, negative voxel sizes count as their absolute value and zero
/// voxel sizes as 1, transform codes outside 0–5 count as 0, and a <c>scl_slope</c> of 0 or NaN means "not scaled".
/// </para>
/// </summary>
public sealed record NiftiHeader
{
    /// <summary>The largest valid <c>qform_code</c>/<c>sform_code</c> (5 = NIFTI_XFORM_TEMPLATE_OTHER).</summary>
    public const int MaxTransformCode = 5;

    /// <summary>1 for NIfTI-1, 2 for NIfTI-2.</summary>
    public int Version { get; init; } = 1;

    /// <summary>True when the header (and the voxel data) are big-endian.</summary>
    public bool IsBigEndian { get; init; }

    /// <summary>True for a <c>.hdr/.img</c> pair (magic <c>ni1</c>/<c>ni2</c>), false for a single file (<c>n+1</c>/<c>n+2</c>).</summary>
    public bool IsPair { get; init; }

    /// <summary>The header size for this version: 348 or 540 bytes (<c>sizeof_hdr</c>).</summary>
    public int SizeOfHeader => Version == 2 ? 540 : 348;

    /// <summary>The raw <c>datatype</c> code.</summary>
    public short DataTypeCode { get; init; } = NiftiDataType.Float32.Code;

    /// <summary>The datatype, or null when <see cref="DataTypeCode"/> is unknown or unsupported.</summary>
    public NiftiDataType? DataType => NiftiDataType.FromCode(DataTypeCode);

    /// <summary>The raw <c>bitpix</c> (bits per voxel; the reader trusts the datatype, as nibabel does).</summary>
    public short BitPix { get; init; } = 32;

    /// <summary><c>dim[0..7]</c>: <c>dim[0]</c> is the number of dimensions, <c>dim[1..dim[0]]</c> the extents.</summary>
    public IReadOnlyList<long> Dim { get; init; } = [3, 1, 1, 1, 1, 1, 1, 1];

    /// <summary><c>pixdim[0..7]</c>: <c>pixdim[0]</c> is <c>qfac</c>, <c>pixdim[1..3]</c> the voxel sizes, <c>pixdim[4]</c> the time step.</summary>
    public IReadOnlyList<double> PixDim { get; init; } = [1, 1, 1, 1, 1, 1, 1, 1];

    /// <summary><c>intent_p1</c>.</summary>
    public double IntentP1 { get; init; }

    /// <summary><c>intent_p2</c>.</summary>
    public double IntentP2 { get; init; }

    /// <summary><c>intent_p3</c>.</summary>
    public double IntentP3 { get; init; }

    /// <summary><c>intent_code</c>.</summary>
    public int IntentCode { get; init; }

    /// <summary><c>intent_name</c> (up to 15 characters).</summary>
    public string IntentName { get; init; } = "";

    /// <summary><c>vox_offset</c>: where the voxel data start in the <c>.nii</c> (or <c>.img</c>) file.</summary>
    public long VoxOffset { get; init; }

    /// <summary><c>scl_slope</c>.</summary>
    public double SclSlope { get; init; } = double.NaN;

    /// <summary><c>scl_inter</c>.</summary>
    public double SclInter { get; init; } = double.NaN;

    /// <summary><c>cal_max</c> (display range).</summary>
    public double CalMax { get; init; }

    /// <summary><c>cal_min</c> (display range).</summary>
    public double CalMin { get; init; }

    /// <summary><c>slice_duration</c>.</summary>
    public double SliceDuration { get; init; }

    /// <summary><c>toffset</c>.</summary>
    public double TOffset { get; init; }

    /// <summary><c>slice_start</c>.</summary>
    public long SliceStart { get; init; }

    /// <summary><c>slice_end</c>.</summary>
    public long SliceEnd { get; init; }

    /// <summary><c>slice_code</c>.</summary>
    public int SliceCode { get; init; }

    /// <summary><c>xyzt_units</c> (spatial units in bits 0–2, time units in bits 3–5).</summary>
    public int XyztUnits { get; init; }

    /// <summary><c>dim_info</c> (frequency, phase and slice dimensions packed in one byte).</summary>
    public byte DimInfo { get; init; }

    /// <summary><c>descrip</c> (up to 79 characters).</summary>
    public string Description { get; init; } = "";

    /// <summary><c>aux_file</c> (up to 23 characters).</summary>
    public string AuxFile { get; init; } = "";

    /// <summary><c>qform_code</c>.</summary>
    public int QFormCode { get; init; }

    /// <summary><c>sform_code</c>.</summary>
    public int SFormCode { get; init; }

    /// <summary><c>quatern_b</c>.</summary>
    public double QuaternB { get; init; }

    /// <summary><c>quatern_c</c>.</summary>
    public double QuaternC { get; init; }

    /// <summary><c>quatern_d</c>.</summary>
    public double QuaternD { get; init; }

    /// <summary><c>qoffset_x</c>.</summary>
    public double QOffsetX { get; init; }

    /// <summary><c>qoffset_y</c>.</summary>
    public double QOffsetY { get; init; }

    /// <summary><c>qoffset_z</c>.</summary>
    public double QOffsetZ { get; init; }

    /// <summary><c>srow_x[0..3]</c>: the first row of the sform affine.</summary>
    public IReadOnlyList<double> SRowX { get; init; } = [0, 0, 0, 0];

    /// <summary><c>srow_y[0..3]</c>.</summary>
    public IReadOnlyList<double> SRowY { get; init; } = [0, 0, 0, 0];

    /// <summary><c>srow_z[0..3]</c>.</summary>
    public IReadOnlyList<double> SRowZ { get; init; } = [0, 0, 0, 0];

    /// <summary>Header extensions in file order.</summary>
    public IReadOnlyList<NiftiExtension> Extensions { get; init; } = [];

    /// <summary>Number of dimensions, <c>dim[0]</c>.</summary>
    public int Rank => (int)Dim[0];

    /// <summary>The extents <c>dim[1..dim[0]]</c>, in NIfTI index order (i, j, k, t, ...).</summary>
    public long[] Shape => Dim.Skip(1).Take(Rank).ToArray();

    /// <summary>Number of voxels (product of <see cref="Shape"/>).</summary>
    public long VoxelCount => Shape.Aggregate(1L, (product, extent) => product * extent);

    /// <summary>
    /// The voxel size along each dimension, <c>pixdim[1..dim[0]]</c>, with the spatial ones made positive and
    /// non-zero as nibabel does (nibabel's <c>get_zooms</c>).
    /// </summary>
    public double[] Zooms => Enumerable.Range(1, Rank).Select(n => n <= 3 ? SpatialZoom(n) : PixDim[n]).ToArray();

    /// <summary><c>qfac</c>: <c>pixdim[0]</c> when it is −1, else 1.</summary>
    public double QFac => PixDim[0] == -1 ? -1 : 1;

    /// <summary>
    /// The scaling to apply to stored values (<c>slope · x + inter</c>), or null when <c>scl_slope</c> is 0 or not
    /// finite (nibabel: "unscaled"). A finite slope with a non-finite intercept is returned as is; the reader
    /// rejects it.
    /// </summary>
    public (double Slope, double Intercept)? Scaling =>
        SclSlope == 0 || !double.IsFinite(SclSlope) ? null : (SclSlope, SclInter);

    /// <summary>Whether <paramref name="code"/> is a valid non-zero transform code.</summary>
    public static bool IsTransformCodeSet(int code) => code is > 0 and <= MaxTransformCode;

    /// <summary>Which transform <see cref="BestAffine"/> uses: sform if its code is set, else qform if set, else pixdim.</summary>
    public NiftiAffineSource AffineSource =>
        IsTransformCodeSet(SFormCode) ? NiftiAffineSource.SForm
        : IsTransformCodeSet(QFormCode) ? NiftiAffineSource.QForm
        : NiftiAffineSource.PixDim;

    /// <summary>
    /// The voxel-to-world affine by nibabel's <c>get_best_affine</c> rule: the sform when <c>sform_code</c> is set,
    /// else the qform when <c>qform_code</c> is set, else <see cref="PixDimAffine"/>.
    /// </summary>
    /// <param name="filePath">The file the header came from, for error messages.</param>
    /// <exception cref="NiftiFormatException">The chosen transform has a NaN or infinite value, or a non-unit quaternion.</exception>
    public AffineMatrix BestAffine(string filePath = "<header>") => AffineSource switch
    {
        NiftiAffineSource.SForm => SFormAffine(filePath),
        NiftiAffineSource.QForm => QFormAffine(filePath),
        _ => PixDimAffine(filePath),
    };

    /// <summary>The sform affine from <c>srow_x/y/z</c>, whatever <c>sform_code</c> says.</summary>
    /// <exception cref="NiftiFormatException">A value is NaN or infinite.</exception>
    public AffineMatrix SFormAffine(string filePath = "<header>")
    {
        foreach (var (name, row) in new[] { ("srow_x", SRowX), ("srow_y", SRowY), ("srow_z", SRowZ) })
        {
            if (row.Any(v => !double.IsFinite(v)))
                throw new NiftiFormatException(filePath, name, $"the sform (sform_code {SFormCode}) must be finite, found [{string.Join(", ", row)}]");
        }
        return new AffineMatrix([.. SRowX, .. SRowY, .. SRowZ, 0, 0, 0, 1]);
    }

    /// <summary>The qform affine from the quaternion, <c>qfac</c>, voxel sizes and offsets, whatever <c>qform_code</c> says.</summary>
    /// <exception cref="NiftiFormatException">A value is NaN or infinite, or b² + c² + d² exceeds 1.</exception>
    public AffineMatrix QFormAffine(string filePath = "<header>")
    {
        var fields = new (string Name, double Value)[]
        {
            ("quatern_b", QuaternB), ("quatern_c", QuaternC), ("quatern_d", QuaternD),
            ("qoffset_x", QOffsetX), ("qoffset_y", QOffsetY), ("qoffset_z", QOffsetZ),
            ("pixdim[1]", PixDim[1]), ("pixdim[2]", PixDim[2]), ("pixdim[3]", PixDim[3]),
        };
        foreach (var (name, value) in fields)
        {
            if (!double.IsFinite(value))
                throw new NiftiFormatException(filePath, name, $"the qform (qform_code {QFormCode}) must be finite, found {value}");
        }
        try
        {
            return new AffineMatrix(NiftiQuaternion.ToAffine(QuaternB, QuaternC, QuaternD, QFac,
                SpatialZoom(1), SpatialZoom(2), SpatialZoom(3), QOffsetX, QOffsetY, QOffsetZ));
        }
        catch (ArgumentException e)
        {
            throw new NiftiFormatException(filePath, "quatern_b/c/d", e.Message, e);
        }
    }

    /// <summary>
    /// The fallback affine when neither transform code is set (nibabel's <c>get_base_affine</c>, Analyze
    /// convention): diag(−pixdim1, pixdim2, pixdim3) with voxel ((I−1)/2, (J−1)/2, (K−1)/2) at the world origin.
    /// </summary>
    /// <exception cref="NiftiFormatException">A voxel size is NaN or infinite.</exception>
    public AffineMatrix PixDimAffine(string filePath = "<header>")
    {
        var zooms = new double[3];
        var extents = new double[3];
        for (var n = 1; n <= 3; n++)
        {
            var used = n <= Math.Max(Rank, 0);
            zooms[n - 1] = used ? SpatialZoom(n) : 1;
            extents[n - 1] = used ? Dim[n] : 1;
            if (!double.IsFinite(zooms[n - 1]))
                throw new NiftiFormatException(filePath, $"pixdim[{n}]", $"the voxel size must be finite (no qform or sform is set, so it defines the affine), found {PixDim[n]}");
        }
        zooms[0] = -zooms[0];
        return AffineMatrix.FromDiagonal(zooms[0], zooms[1], zooms[2],
            -(extents[0] - 1) / 2 * zooms[0], -(extents[1] - 1) / 2 * zooms[1], -(extents[2] - 1) / 2 * zooms[2]);
    }

    /// <summary>Voxel size n (1–3) as nibabel reads it: absolute value, and 1 for zero.</summary>
    private double SpatialZoom(int n) => PixDim[n] == 0 ? 1 : Math.Abs(PixDim[n]);
}
