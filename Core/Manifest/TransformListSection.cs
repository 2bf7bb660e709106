using Pipeline.Core.Transforms;
using YamlDotNet.RepresentationModel;

namespace Pipeline.Core.Manifest;

/// <summary>
/// Reads a transform list that sits beside a section's <c>options</c>: a dataset's <c>preprocess</c> (deterministic
/// transforms only, so a case is the same every time it is loaded) or a stage's <c>augment</c> (random transforms
/// applied to training patches). Problems are reported with their line, e.g.
/// <c>datasets.ct.preprocess[1].a_mim: ...</c>.
/// </summary>
internal static class TransformListSection
{
    /// <summary>The list under <paramref name="key"/> of <paramref name="section"/>, when present and valid; otherwise null (problems reported).</summary>
    public static YamlSequenceNode? Read(YamlNode section, string key, string path, bool deterministicOnly, ManifestDiagnostics diagnostics)
    {
        if (section is not YamlMappingNode mapping || YamlNodes.Child(mapping, key) is not { } node || YamlNodes.IsNull(node))
            return null;
        var errors = diagnostics.Errors.Count;
        var compose = new TransformListReader(TransformRegistry.CreateBuiltIn()).Read(node, path, diagnostics);
        if (compose is null || diagnostics.Errors.Count != errors) return null;
        var sequence = (YamlSequenceNode)node;
        if (deterministicOnly)
        {
            for (int index = 0; index < compose.Transforms.Count; index++)
                if (compose.Transforms[index].Name.StartsWith("rand_", StringComparison.Ordinal))
                    diagnostics.Report(sequence.Children[index], KeyPath.Index(path, index),
                        $"'{compose.Transforms[index].Name}' is random; preprocessing must give the same case every time (put random transforms in the train stage's augment list)");
        }
        return diagnostics.Errors.Count == errors ? sequence : null;
    }
}
