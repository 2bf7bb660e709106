using System.Reflection;
using System.Runtime.Loader;

namespace Pipeline.Core.Composition;

/// <summary>
/// Finds the assemblies that can hold plugins: the built-in ones beside the host, and every plugin folder on the
/// search path, each folder in its own <see cref="PluginLoadContext"/>. Failures are collected, not thrown.
/// </summary>
public sealed class PluginAssemblyLoader
{
    private const string CoreAssemblyName = "Pipeline.Core";
    private readonly List<PluginLoadFailure> _failures = [];

    /// <summary>Files or folders that could not be loaded, with the reason.</summary>
    public IReadOnlyList<PluginLoadFailure> Failures => _failures;

    /// <summary>
    /// Pipeline.Core (it exports the built-in stages) and every <c>Pipeline.Plugins.*.dll</c> in
    /// <paramref name="hostDirectory"/>, loaded into the default context.
    /// </summary>
    public IReadOnlyList<Assembly> LoadBuiltIn(string hostDirectory)
    {
        var assemblies = new List<Assembly> { typeof(PluginAssemblyLoader).Assembly };
        foreach (string file in Directory.EnumerateFiles(hostDirectory, "Pipeline.Plugins.*.dll").Order(StringComparer.Ordinal))
        {
            try
            {
                assemblies.Add(AssemblyLoadContext.Default.LoadFromAssemblyName(AssemblyName.GetAssemblyName(file)));
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                _failures.Add(new PluginLoadFailure(file, e.Message));
            }
        }
        return assemblies;
    }

    /// <summary>
    /// The plugin assemblies of <paramref name="folder"/>: the folder itself when it holds assemblies, and each of its
    /// sub-folders that does (one load context per such plugin folder). Only assemblies that reference Pipeline.Core
    /// are returned; the others are taken to be the plugins' private dependencies.
    /// </summary>
    public IReadOnlyList<Assembly> LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            _failures.Add(new PluginLoadFailure(folder, "plugin folder does not exist"));
            return [];
        }
        var units = new List<string>();
        if (Directory.EnumerateFiles(folder, "*.dll").Any()) units.Add(folder);
        units.AddRange(Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal)
            .Where(sub => Directory.EnumerateFiles(sub, "*.dll").Any()));
        return units.SelectMany(LoadPluginUnit).ToList();
    }

    private IEnumerable<Assembly> LoadPluginUnit(string unit)
    {
        string[] dlls = Directory.GetFiles(unit, "*.dll").Order(StringComparer.Ordinal).ToArray();
        // The main assembly is the one that came with a deps.json (a normal `dotnet build`/`publish` output).
        string? main = dlls.FirstOrDefault(dll => File.Exists(Path.ChangeExtension(dll, ".deps.json")));
        var context = new PluginLoadContext(unit, main);
        var plugins = new List<Assembly>();
        foreach (string dll in dlls)
        {
            AssemblyName name;
            try
            {
                name = AssemblyName.GetAssemblyName(dll);
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException)
            {
                _failures.Add(new PluginLoadFailure(dll, $"not a .NET assembly ({e.Message})"));
                continue;
            }
            if (SharedAssemblies.IsShared(name.Name) || name.Name!.StartsWith("TorchSharp", StringComparison.Ordinal)) continue;
            try
            {
                Assembly assembly = context.LoadFromAssemblyName(name);
                if (assembly.GetReferencedAssemblies().Any(r => r.Name == CoreAssemblyName)) plugins.Add(assembly);
            }
            catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
            {
                _failures.Add(new PluginLoadFailure(dll, e.Message));
            }
        }
        return plugins;
    }
}
