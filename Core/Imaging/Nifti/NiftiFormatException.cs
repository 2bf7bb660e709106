namespace Pipeline.Core.Imaging.Nifti;

/// <summary>
/// A NIfTI file cannot be read (or a header cannot be written) as it is: the message names the file, the header field
/// (or <c>data</c>, <c>gzip</c>, <c>extension</c>) and what was expected versus what was found. Derives from
/// <see cref="IOException"/>: like a missing or unreadable file, the input cannot be used as it is.
/// </summary>
public sealed class NiftiFormatException : IOException
{
    /// <summary>Creates the exception; the message is <c>FILE: FIELD: DETAIL</c>.</summary>
    /// <param name="filePath">The file being read or written.</param>
    /// <param name="field">The header field or part of the file at fault, e.g. <c>sizeof_hdr</c> or <c>data</c>.</param>
    /// <param name="detail">What was expected and what was found.</param>
    /// <param name="inner">The underlying error, e.g. a <see cref="InvalidDataException"/> from the gzip decoder.</param>
    public NiftiFormatException(string filePath, string field, string detail, Exception? inner = null)
        : base($"{filePath}: {field}: {detail}", inner)
    {
        FilePath = filePath;
        Field = field;
    }

    /// <summary>The file being read or written.</summary>
    public string FilePath { get; }

    /// <summary>The header field or file part at fault.</summary>
    public string Field { get; }
}
