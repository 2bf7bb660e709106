namespace Pipeline.Core.Imaging.Nifti;

/// <summary>Which header fields an image's affine comes from (nibabel's <c>get_best_affine</c> rule).</summary>
public enum NiftiAffineSource
{
    /// <summary><c>sform_code</c> is a valid non-zero code: the affine is <c>srow_x/y/z</c>.</summary>
    SForm,

    /// <summary>No sform, <c>qform_code</c> is a valid non-zero code: quaternion, <c>qfac</c>, <c>pixdim</c> and offsets.</summary>
    QForm,

    /// <summary>Neither code set: voxel sizes from <c>pixdim</c> with the x axis flipped, origin at the volume centre.</summary>
    PixDim,
}
