namespace Pipeline.Core.Composition;

/// <summary>
/// Assemblies the host owns and every plugin must share with it. A plugin that ships its own copy of one of these
/// still gets the host's, so contract types (IBackbone, Tensor, ExportAttribute, ...) are identical on both sides.
/// </summary>
public static class SharedAssemblies
{
    private static readonly string[] ExactNames = ["Pipeline.Core", "TorchSharp", "TorchSharp.PyBridge", "YamlDotNet", "netstandard", "mscorlib"];
    private static readonly string[] Prefixes = ["System.", "Microsoft.Extensions.", "Microsoft.Win32."];

    /// <summary>True when <paramref name="assemblyName"/> must come from the host's default load context.</summary>
    public static bool IsShared(string? assemblyName)
    {
        if (string.IsNullOrEmpty(assemblyName)) return false;
        if (ExactNames.Contains(assemblyName, StringComparer.OrdinalIgnoreCase) || assemblyName == "System") return true;
        return Prefixes.Any(prefix => assemblyName.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));
    }
}
