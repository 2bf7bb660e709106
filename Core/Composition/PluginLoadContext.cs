using System.Reflection;
using System.Runtime.Loader;

namespace Pipeline.Core.Composition;

/// <summary>
/// Load context of one external plugin folder: the plugin's private dependencies resolve from its folder (through its
/// deps.json when present), while shared assemblies (<see cref="SharedAssemblies"/>) defer to the host.
/// </summary>
public sealed class PluginLoadContext : AssemblyLoadContext
{
    private readonly string _folder;
    private readonly AssemblyDependencyResolver? _resolver;

    /// <param name="folder">The plugin folder.</param>
    /// <param name="mainAssemblyPath">The plugin's main assembly (the one with a deps.json), or null to probe the folder.</param>
    public PluginLoadContext(string folder, string? mainAssemblyPath)
        : base($"plugin:{Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar))}", isCollectible: false)
    {
        _folder = folder;
        _resolver = mainAssemblyPath is null ? null : new AssemblyDependencyResolver(mainAssemblyPath);
    }

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        if (SharedAssemblies.IsShared(assemblyName.Name)) return null; // the host's copy
        string? path = _resolver?.ResolveAssemblyToPath(assemblyName);
        if (path is null)
        {
            string candidate = Path.Combine(_folder, assemblyName.Name + ".dll");
            if (File.Exists(candidate)) path = candidate;
        }
        return path is null ? null : LoadFromAssemblyPath(path);
    }

    /// <inheritdoc />
    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        string? path = _resolver?.ResolveUnmanagedDllToPath(unmanagedDllName);
        return path is null ? IntPtr.Zero : LoadUnmanagedDllFromPath(path);
    }
}
