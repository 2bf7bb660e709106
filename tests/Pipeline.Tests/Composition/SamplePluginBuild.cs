using System.Diagnostics;

namespace Pipeline.Tests.Composition;

/// <summary>
/// Builds tests/SamplePlugin (a plugin project that neither the host nor the tests reference) once per test run into
/// a temporary folder, the way a user would build a plugin to drop into a plugins folder.
/// </summary>
public sealed class SamplePluginBuild : IDisposable
{
    public SamplePluginBuild()
    {
        Root = Directory.CreateTempSubdirectory("pipeline-sample-plugin-").FullName;
        OutputDirectory = Path.Combine(Root, "tiny-unet");
        string project = Path.Combine(RepositoryRoot.Path, "tests", "SamplePlugin", "SamplePlugin.csproj");
        var start = new ProcessStartInfo("dotnet", ["build", project, "-o", OutputDirectory, "-nologo", "-v", "quiet", "-p:UseSharedCompilation=false"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        // The test host sets MSBuild variables for its own build; a nested build must not inherit them.
        foreach (string variable in new[] { "MSBuildExtensionsPath", "MSBuildSDKsPath", "MSBUILD_EXE_PATH", "MSBuildLoadMicrosoftTargetsReadOnly" })
            start.Environment.Remove(variable);
        using var process = Process.Start(start)!;
        string stdout = process.StandardOutput.ReadToEnd();
        string stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"Building the sample plugin failed (exit {process.ExitCode}):\n{stdout}\n{stderr}");
        AssemblyPath = Path.Combine(OutputDirectory, "Pipeline.Samples.TinyUNet.dll");
        if (!File.Exists(AssemblyPath)) throw new FileNotFoundException("The sample plugin build produced no assembly.", AssemblyPath);
    }

    /// <summary>Temporary folder holding the build.</summary>
    public string Root { get; }

    /// <summary>The plugin folder (build output).</summary>
    public string OutputDirectory { get; }

    /// <summary>The plugin's main assembly.</summary>
    public string AssemblyPath { get; }

    /// <summary>Copies the plugin folder to a new folder under <see cref="Root"/> and returns it.</summary>
    public string CopyTo(string name)
    {
        string target = Path.Combine(Root, name);
        Directory.CreateDirectory(target);
        foreach (string file in Directory.EnumerateFiles(OutputDirectory))
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)), overwrite: true);
        return target;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }
}

/// <summary>
/// Tests that run pipelines in this process with the sample plugin. Some compare loss curves bit for bit (resume,
/// extend), and a pipeline run seeds torch's process-wide generator, which any test building a network in parallel
/// would also draw from; so these run alone, not in parallel with other test classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SamplePluginCollection : ICollectionFixture<SamplePluginBuild>
{
    public const string Name = "sample plugin";
}
