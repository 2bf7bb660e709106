namespace Pipeline.Core.Plugins;

/// <summary>
/// A plugin whose YAML <c>options</c> bind to a typed options class it names. The class must have a public
/// parameterless constructor; its public settable properties become snake_case keys.
/// </summary>
public interface IConfigurablePlugin
{
    /// <summary>The options class the binder creates and fills from YAML.</summary>
    Type OptionsType { get; }
}
