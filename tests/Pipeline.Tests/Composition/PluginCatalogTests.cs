using Pipeline.Core.Composition;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using static TorchSharp.torch;

namespace Pipeline.Tests.Composition;

[Collection(SamplePluginCollection.Name)]
public class PluginCatalogTests(SamplePluginBuild sample)
{
    [Fact]
    public void BuiltInPluginsAreListedWithMetadata()
    {
        using var catalog = PluginCatalogFactory.Create(AppContext.BaseDirectory, [], null);
        Assert.Contains(catalog.Plugins, p => p.Kind == PluginKind.Prior && p.Name == "none" && p.Version.Length > 0 && p.Description.Length > 0);
        Assert.Empty(catalog.Failures);
    }

    [Fact]
    public void ListingConstructsNoPartAndGetConstructsItOnce()
    {
        var counter = new ConstructionCounter();
        CountingBackbone.Counter.Value = counter;
        using var catalog = new PluginCatalog([typeof(CountingBackbone).Assembly]);
        Assert.Contains(catalog.Plugins, p => p.Name == "counting-test-backbone");
        Assert.Equal(0, counter.Count);
        catalog.Get(PluginKind.Backbone, "counting-test-backbone");
        catalog.Get(PluginKind.Backbone, "counting-test-backbone");
        Assert.Equal(1, counter.Count);
    }

    [Fact]
    public void UnknownPluginListsTheAvailableNames()
    {
        using var catalog = new PluginCatalog([typeof(CountingBackbone).Assembly]);
        var error = Assert.Throws<UnknownPluginException>(() => catalog.Get(PluginKind.Backbone, "no-such-net"));
        Assert.Contains("no-such-net", error.Message);
        Assert.Contains("counting-test-backbone", error.Message);
    }

    [Fact]
    public void ExternalPluginFolderIsLoadedInItsOwnContextAndBuildsANetwork()
    {
        using var catalog = PluginCatalogFactory.Create(AppContext.BaseDirectory, [sample.OutputDirectory], null);
        PluginInfo info = Assert.Single(catalog.Plugins, p => p.Name == "tiny-unet");
        Assert.Equal(PluginKind.Backbone, info.Kind);
        Assert.Equal(sample.AssemblyPath, info.AssemblyPath);

        var backbone = (IBackbone)catalog.Get(PluginKind.Backbone, "tiny-unet");
        // The options type comes from the plugin; contract and torch types are the host's (shared), so this composes.
        object options = Activator.CreateInstance(backbone.OptionsType)!;
        using SegmentationNetwork network = backbone.Build(options);
        using var scope = NewDisposeScope();
        Tensor output = network.forward(zeros(new long[] { 1, 1, 8, 8, 8 }));
        Assert.Equal(new long[] { 1, 2, 8, 8, 8 }, output.shape);
    }

    [Fact]
    public void FatPluginShippingItsOwnSharedAssembliesStillComposes()
    {
        string folder = sample.CopyTo("fat");
        foreach (string shared in new[] { "Pipeline.Core.dll", "TorchSharp.dll", "YamlDotNet.dll", "System.Composition.AttributedModel.dll" })
            File.Copy(Path.Combine(AppContext.BaseDirectory, shared), Path.Combine(folder, shared), overwrite: true);
        using var catalog = PluginCatalogFactory.Create(AppContext.BaseDirectory, [folder], null);
        var backbone = catalog.Get(PluginKind.Backbone, "tiny-unet");
        Assert.IsAssignableFrom<IBackbone>(backbone);
    }

    [Fact]
    public void BrokenAssemblyIsReportedAndTheOtherPluginsStillWork()
    {
        string parent = Path.Combine(sample.Root, "mixed");
        Directory.CreateDirectory(parent);
        string broken = Path.Combine(parent, "broken");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "Broken.Plugin.dll"), "this is not an assembly");
        CopyDirectory(sample.OutputDirectory, Path.Combine(parent, "tiny"));

        using var catalog = PluginCatalogFactory.Create(AppContext.BaseDirectory, [parent], null);
        PluginLoadFailure failure = Assert.Single(catalog.Failures);
        Assert.EndsWith("Broken.Plugin.dll", failure.Path);
        Assert.False(string.IsNullOrWhiteSpace(failure.Reason));
        Assert.True(catalog.Contains(PluginKind.Backbone, "tiny-unet"));
        Assert.True(catalog.Contains(PluginKind.Prior, "none"));
    }

    [Fact]
    public void TwoPluginsWithTheSameKindAndNameAreAnErrorNamingBothAssemblies()
    {
        string first = sample.CopyTo("dup-a");
        string second = sample.CopyTo("dup-b");
        var error = Assert.Throws<DuplicatePluginException>(() => PluginCatalogFactory.Create(AppContext.BaseDirectory, [first, second], null));
        Assert.Contains(Path.Combine(first, "Pipeline.Samples.TinyUNet.dll"), error.Message);
        Assert.Contains(Path.Combine(second, "Pipeline.Samples.TinyUNet.dll"), error.Message);
        Assert.Contains("tiny-unet", error.Message);
    }

    [Fact]
    public void EnvironmentPathAndHostPluginsFolderAreSearched()
    {
        var folders = PluginSearchPath.Resolve(sample.Root, "/a/b:/c", ["/d"]);
        Assert.Equal(new[] { "/a/b", "/c", "/d" }, folders);
        Directory.CreateDirectory(Path.Combine(sample.Root, "plugins"));
        Assert.Equal(Path.Combine(sample.Root, "plugins"), PluginSearchPath.Resolve(sample.Root, null, [])[0]);
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.EnumerateFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)), true);
    }
}
