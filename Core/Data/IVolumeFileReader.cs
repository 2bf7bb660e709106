using Pipeline.Core.Imaging;

namespace Pipeline.Core.Data;

/// <summary>Reads image files into volumes; file datasets take one so that formats and tests can be swapped in.</summary>
public interface IVolumeFileReader
{
    /// <summary>Reads only the header: shape, affine, data type. Errors name the file and the field.</summary>
    VolumeHeader ReadHeader(string path);

    /// <summary>Reads the whole file as a float32 volume <c>[C, I, J, K]</c> (scaling applied). The caller disposes it.</summary>
    Volume Read(string path);
}
