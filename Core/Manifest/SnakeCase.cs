using System.Text;

namespace Pipeline.Core.Manifest;

/// <summary>
/// The naming rule that turns C# member names into YAML keys and enum values.
/// </summary>
/// <remarks>
/// An underscore goes before an upper-case letter that follows a lower-case letter or a digit, and before the last
/// capital of an acronym that is followed by a lower-case letter; everything is then lower-cased. So acronyms stay one
/// word and digits stick to the word before them: <c>InChannels</c> → <c>in_channels</c>, <c>RoiSize</c> →
/// <c>roi_size</c>, <c>HD95</c> → <c>hd95</c>, <c>HD95Threshold</c> → <c>hd95_threshold</c>, <c>UseGPU</c> →
/// <c>use_gpu</c>, <c>GPUCount</c> → <c>gpu_count</c>, <c>Conv3dKernel</c> → <c>conv3d_kernel</c>. A property whose
/// key should differ uses <c>[YamlMember(Alias = "...")]</c>.
/// </remarks>
public static class SnakeCase
{
    /// <summary>The snake_case form of a PascalCase or camelCase <paramref name="name"/>.</summary>
    public static string From(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var current = name[i];
            if (char.IsUpper(current) && i > 0 && StartsNewWord(name, i))
                builder.Append('_');
            builder.Append(char.ToLowerInvariant(current));
        }
        return builder.ToString();
    }

    private static bool StartsNewWord(string name, int index)
    {
        var previous = name[index - 1];
        if (char.IsLower(previous) || char.IsDigit(previous))
            return true;
        // The "S" of "HTTPServer": the acronym ends where a capitalised word begins.
        var nextIsLower = index + 1 < name.Length && char.IsLower(name[index + 1]);
        return char.IsUpper(previous) && nextIsLower;
    }
}
