using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Imaging;
using Pipeline.Core.IO;
using static TorchSharp.torch;

namespace Pipeline.Core.Data.Cache;

/// <summary>
/// A dataset whose cases are loaded (and preprocessed) once, written to a compact on-disk cache, and afterwards read
/// from there through memory-mapped files. The cache of a dataset lives in
/// <c>&lt;dataset cache&gt;/preprocessed/&lt;fingerprint&gt;/</c> (<see cref="CaseCacheFingerprint"/>), one case as
/// <c>&lt;case&gt;.img.bin</c> (image, <see cref="CacheImageType"/>), <c>&lt;case&gt;.lbl.bin</c> (label, uint8 when
/// the class indices fit) and <c>&lt;case&gt;.json</c> (<see cref="CaseCacheEntry"/>).
/// <para>Consistency: writing a case first deletes its metadata, then writes each array file atomically, then the
/// metadata atomically; a case counts as cached only when its metadata exists, names it, matches the dataset's
/// classes and its source files' sizes and write times, and its array files have the recorded sizes. A write that
/// fails removes the case's array files, so an interrupted or failed write never leaves a case that would be read.</para>
/// <para>Cases come back as float32 images and int64 labels with their spacing and affine, but without their
/// preprocessing record and source header (see <see cref="CaseCacheEntry"/>): use the cache for training and
/// validation, not for predictions that must go back to the source grid.</para>
/// <para>Thread safety: <see cref="Load"/> may be called from several threads (the training producer and the
/// validation loop); each case is checked and written at most once per instance.</para>
/// </summary>
public sealed class DiskCachedDataset : ISegmentationDataset
{
    /// <summary>File name of the definition text stored next to the cases (for people; the fingerprint is its hash).</summary>
    public const string DefinitionFile = "definition.yaml";

    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };

    private readonly string _name;
    private readonly CacheImageType _imageType;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, CaseCacheEntry> _checked = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, object> _caseLocks = new(StringComparer.Ordinal);

    /// <param name="inner">The dataset as the manifest defines it (with its preprocessing).</param>
    /// <param name="definition">What fixes its cases (hashed into the folder name) and where its cache goes.</param>
    /// <param name="imageType">How image voxels are stored.</param>
    /// <param name="logger">Receives a line per written case and notes on older cache folders.</param>
    /// <exception cref="PlatformNotSupportedException">The machine is big-endian (the cache is little-endian).</exception>
    public DiskCachedDataset(ISegmentationDataset inner, DatasetDefinition definition, CacheImageType imageType, ILogger logger)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("The case cache stores little-endian arrays and reads them without swapping.");
        Inner = inner;
        _name = definition.Name;
        _imageType = imageType;
        _logger = logger;
        Fingerprint = CaseCacheFingerprint.Of(definition.Text, imageType);
        string parent = Path.Combine(definition.CacheDirectory, "preprocessed");
        Folder = Path.Combine(parent, Fingerprint);
        Directory.CreateDirectory(Folder);
        string definitionPath = Path.Combine(Folder, DefinitionFile);
        if (!File.Exists(definitionPath)) AtomicFile.WriteAllText(definitionPath, definition.Text);
        var others = Directory.GetDirectories(parent).Where(d => Path.GetFileName(d) != Fingerprint).ToList();
        if (others.Count > 0)
            _logger.LogInformation("Dataset {Dataset}: {Count} cache folder(s) of other definitions in {Parent} are not used by this run and may be deleted.",
                _name, others.Count, parent);
    }

    /// <summary>The dataset the cases come from.</summary>
    public ISegmentationDataset Inner { get; }

    /// <summary>The hash that names <see cref="Folder"/>.</summary>
    public string Fingerprint { get; }

    /// <summary>The folder of this definition's cached cases.</summary>
    public string Folder { get; }

    /// <inheritdoc />
    public IReadOnlyList<string> ClassNames => Inner.ClassNames;

    /// <inheritdoc />
    public int InputChannels => Inner.InputChannels;

    /// <inheritdoc />
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Splits => Inner.Splits;

    /// <summary>
    /// Makes sure every case of <paramref name="caseIds"/> is cached (writing the missing and stale ones, one case in
    /// memory at a time) and returns what they take in memory and on disk.
    /// </summary>
    public CaseMemoryEstimate Prepare(IEnumerable<string> caseIds, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var entries = new List<CaseCacheEntry>();
        int written = 0;
        foreach (var caseId in caseIds.Distinct(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (entry, wrote) = Ensure(caseId);
            entries.Add(entry);
            if (wrote) written++;
        }
        _logger.LogInformation("Dataset {Dataset}: disk cache {Folder}: {Reused} case(s) reused, {Written} written ({Seconds:F1} s).",
            _name, Folder, entries.Count - written, written, clock.Elapsed.TotalSeconds);
        return CaseMemoryEstimate.Of(entries);
    }

    /// <summary>The metadata of <paramref name="caseId"/>, writing the case first when it is missing or stale.</summary>
    public CaseCacheEntry Entry(string caseId) => Ensure(caseId).Entry;

    /// <inheritdoc />
    public SegmentationCase Load(string caseId)
    {
        var entry = Entry(caseId);
        using var scope = NewDisposeScope();
        var image = CachedArrayFile.Read(Folder, entry.Image).to_type(ScalarType.Float32);
        var label = entry.Label is null ? null : CachedArrayFile.Read(Folder, entry.Label).to_type(ScalarType.Int64);
        var result = new SegmentationCase(caseId, image, label, entry.Spacing, entry.Affine is null ? null : new AffineMatrix(entry.Affine));
        scope.MoveToOuter(image);
        if (label is not null) scope.MoveToOuter(label);
        return result;
    }

    /// <summary>The valid entry of <paramref name="caseId"/> and whether it had to be written now.</summary>
    private (CaseCacheEntry Entry, bool Written) Ensure(string caseId)
    {
        if (_checked.TryGetValue(caseId, out var known)) return (known, false);
        lock (_caseLocks.GetOrAdd(caseId, _ => new object()))
        {
            if (_checked.TryGetValue(caseId, out known)) return (known, false);
            var sources = CaseSources.Of(Inner, caseId).Select(path =>
                CaseSourceFile.Stat(path) ?? throw new FileNotFoundException($"dataset '{_name}', case '{caseId}': source file not found", path)).ToList();
            var entry = ReadValid(caseId, sources);
            bool written = entry is null;
            entry ??= Write(caseId, sources);
            _checked[caseId] = entry;
            return (entry, written);
        }
    }

    /// <summary>The stored entry of <paramref name="caseId"/> when it is complete and current; null otherwise.</summary>
    private CaseCacheEntry? ReadValid(string caseId, IReadOnlyList<CaseSourceFile> sources)
    {
        string metadata = MetadataPath(caseId);
        if (!File.Exists(metadata)) return null;
        CaseCacheEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize<CaseCacheEntry>(File.ReadAllText(metadata), Json);
        }
        catch (JsonException e)
        {
            _logger.LogWarning("Dataset {Dataset}: unreadable cache metadata {Path} ({Message}); rewriting case {Case}.", _name, metadata, e.Message, caseId);
            return null;
        }
        if (entry is null || entry.Format != CaseCacheEntry.CurrentFormat || entry.CaseId != caseId ||
            !entry.ClassNames.SequenceEqual(ClassNames) || !entry.Sources.SequenceEqual(sources) ||
            !HasSize(entry.Image) || (entry.Label is not null && !HasSize(entry.Label)))
            return null;
        return entry;
    }

    private bool HasSize(CachedArray array)
    {
        var file = new FileInfo(Path.Combine(Folder, array.File));
        return file.Exists && file.Length == array.Bytes;
    }

    private CaseCacheEntry Write(string caseId, IReadOnlyList<CaseSourceFile> sources)
    {
        var clock = Stopwatch.StartNew();
        string where = $"dataset '{_name}', case '{caseId}'";
        using var scope = NewDisposeScope();
        using var source = Inner.Load(caseId);
        // Convert before touching any file: a case the chosen types cannot hold fails without writing anything.
        var (image, float16Error) = CaseStorageTypes.CompactImage(source.Image, _imageType, where);
        var label = source.Label is null ? null : CaseStorageTypes.CompactLabel(source.Label, where);

        string stem = FileStem(caseId);
        string imagePath = Path.Combine(Folder, stem + ".img.bin");
        string labelPath = Path.Combine(Folder, stem + ".lbl.bin");
        string metadataPath = MetadataPath(caseId);
        File.Delete(metadataPath);
        try
        {
            var imageArray = CachedArrayFile.Write(imagePath, image);
            CachedArray? labelArray = null;
            if (label is not null) labelArray = CachedArrayFile.Write(labelPath, label);
            else File.Delete(labelPath);
            var entry = new CaseCacheEntry
            {
                Format = CaseCacheEntry.CurrentFormat,
                CaseId = caseId,
                Image = imageArray,
                Label = labelArray,
                Spacing = source.Spacing,
                Affine = source.Affine?.ToRowMajor(),
                ClassNames = ClassNames.ToList(),
                Sources = sources,
                Preprocessing = source.Preprocessing.Select(op =>
                    $"{op.TransformName}: [{string.Join(", ", op.SourceGrid.Shape)}] -> [{string.Join(", ", op.ResultGrid.Shape)}]").ToList(),
                Float16MaxAbsError = float16Error,
            };
            AtomicFile.WriteAllText(metadataPath, JsonSerializer.Serialize(entry, Json));
            _logger.LogDebug("Dataset {Dataset}: cached case {Case} ({Image} image, {Bytes} bytes) in {Ms:F0} ms.",
                _name, caseId, imageArray.Dtype, entry.DiskBytes, clock.Elapsed.TotalMilliseconds);
            return entry;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            RemoveFile(imagePath);
            RemoveFile(labelPath);
            throw new IOException($"{where}: writing the disk cache in {Folder} failed: {e.Message}", e);
        }
    }

    /// <summary>Deletes a file of a failed write; a failure here must not hide the write's own error.</summary>
    private void RemoveFile(string path)
    {
        try
        {
            if (File.Exists(path)) File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Dataset {Dataset}: could not remove {Path} after a failed cache write: {Message}", _name, path, e.Message);
        }
    }

    private string MetadataPath(string caseId) => Path.Combine(Folder, FileStem(caseId) + ".json");

    /// <summary>
    /// The case id itself when it is a plain file name (letters, digits, '_', '-', '.', not starting with '.');
    /// otherwise the id with other characters replaced by '_' plus 12 hex digits of its hash, so ids stay distinct.
    /// </summary>
    public static string FileStem(string caseId)
    {
        static bool Plain(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.';
        if (caseId.Length is > 0 and <= 120 && caseId[0] != '.' && caseId.All(Plain)) return caseId;
        string cleaned = new(caseId.Take(80).Select(c => Plain(c) && c != '.' ? c : '_').ToArray());
        return cleaned + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(caseId)))[..12];
    }
}
