namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// One header extension: its <c>ecode</c> (e.g. 6 = comment, 4 = AFNI, 32 = CIFTI) and its content bytes as stored
/// (the standard pads each extension to a multiple of 16 bytes; the padding is part of <see cref="Content"/> when it
/// was in the file). Kept verbatim so a read-modify-write passes extensions through.
/// </summary>
/// <param name="Code">The extension code (<c>ecode</c>).</param>
/// <param name="Content">The content bytes after the 8-byte <c>esize</c>/<c>ecode</c> prefix.</param>
public sealed record NiftiExtension(int Code, byte[] Content)
{
    /// <summary>The on-disk size (<c>esize</c>): 8 prefix bytes plus the content, rounded up to a multiple of 16.</summary>
    public int SizeOnDisk => (8 + Content.Length + 15) / 16 * 16;
}
