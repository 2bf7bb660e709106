namespace Pipeline.Core.Plugins;

/// <summary>
/// Options classes implement this to reject invalid combinations after binding. Each problem names the snake_case key
/// it concerns, so the manifest loader can point at the YAML line.
/// </summary>
public interface IValidatableOptions
{
    /// <summary>Problems found, as (key, message) pairs; empty when valid.</summary>
    IEnumerable<(string Key, string Message)> Validate();
}
