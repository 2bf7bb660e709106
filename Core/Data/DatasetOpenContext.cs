using Microsoft.Extensions.Logging;

namespace Pipeline.Core.Data;

/// <summary>
/// What a dataset provider may use while opening: the manifest's dataset name, a cache folder, a logger, and the run
/// folder (where generated splits are recorded).
/// </summary>
/// <param name="Name">The dataset's name in the manifest (for error messages).</param>
/// <param name="CacheDirectory">A writable folder for derived or downloaded-from-package files.</param>
/// <param name="Logger">Logger for progress and warnings.</param>
/// <param name="RunDirectory">The run folder, or null outside a run (e.g. <c>pipeline validate</c>).</param>
public sealed record DatasetOpenContext(string Name, string CacheDirectory, ILogger Logger, string? RunDirectory = null);
