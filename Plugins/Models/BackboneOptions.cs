using Pipeline.Core.Plugins;

namespace Pipeline.Plugins.Models;

/// <summary>The argument check every backbone's <c>Build</c> starts with.</summary>
internal static class BackboneOptions
{
    /// <summary>
    /// <paramref name="options"/> as <typeparamref name="TOptions"/>, after validation.
    /// </summary>
    /// <param name="options">What the caller passed to <c>Build</c>.</param>
    /// <param name="backbone">The backbone's plugin name, for messages.</param>
    /// <exception cref="ArgumentException">
    /// <paramref name="options"/> is not a <typeparamref name="TOptions"/>, or is invalid (every problem is listed by key).
    /// </exception>
    public static TOptions Checked<TOptions>(object options, string backbone) where TOptions : class, IValidatableOptions
    {
        if (options is not TOptions typed)
            throw new ArgumentException(
                $"The {backbone} backbone expects {typeof(TOptions).Name}, got {options?.GetType().Name ?? "null"}.", nameof(options));
        var problems = typed.Validate().ToList();
        if (problems.Count > 0)
            throw new ArgumentException(
                $"Invalid {backbone} options:" + string.Concat(problems.Select(p => $"\n  {p.Key}: {p.Message}")), nameof(options));
        return typed;
    }
}
