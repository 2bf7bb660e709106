using Pipeline.Core.Composition;

namespace Pipeline.Tests.Checkpoints;

/// <summary>One plugin catalog (the plugins beside the test binaries) shared by a test class.</summary>
public sealed class PluginCatalogFixture : IDisposable
{
    /// <summary>The catalog.</summary>
    public IPluginCatalog Catalog { get; } = PluginCatalogFactory.Create(AppContext.BaseDirectory, [], null);

    /// <inheritdoc />
    public void Dispose() => (Catalog as IDisposable)?.Dispose();
}
