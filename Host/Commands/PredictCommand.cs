using System.Diagnostics;
using System.Globalization;
using Pipeline.Cli.Cli;
using Pipeline.Core.Checkpoints;
using Pipeline.Core.Composition;
using Pipeline.Core.Data;
using Pipeline.Core.Imaging;
using Pipeline.Core.Imaging.Nifti;
using Pipeline.Core.Inference;
using Pipeline.Core.Manifest;
using Pipeline.Core.Transforms;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline predict --checkpoint FILE --input IMAGE --output SEG</c>: segments one NIfTI image with a pipeline
/// checkpoint (its prior folded first) on the CPU. The image optionally goes through a preprocess transform list read
/// from a YAML file (<c>--preprocess</c>, the format of a dataset's <c>preprocess</c>: orientation, spacing, intensity
/// windows, ...); the sliding-window prediction (Gaussian blending by default) is taken back to the image's grid and
/// written with its geometry (qform and sform as in the input), as a uint8 label map (int16 beyond 256 classes) and,
/// with <c>--probabilities</c>, a 4-D float32 probability map. Prints the memory estimate before predicting.
/// </summary>
public sealed class PredictCommand(IPluginCatalog catalog, CliOutput output) : ICliCommand
{
    private const int DefaultRoi = 96;
    private const double DefaultOverlap = 0.5;

    /// <inheritdoc />
    public string Name => "predict";

    /// <inheritdoc />
    public string Usage => "pipeline predict --checkpoint FILE --input IMAGE --output SEG [--probabilities FILE] [--preprocess YAML_FILE] " +
                           "[--roi 96] [--overlap 0.5] [--sw-batch-size 1] [--blend gaussian|constant] [--mirror-axes 0,1,2] " +
                           "[--keep-largest LABEL,...] [--connectivity 26] [--plugins DIR]...";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions =>
        ["checkpoint", "input", "output", "probabilities", "preprocess", "roi", "overlap", "sw-batch-size", "blend", "mirror-axes",
         "keep-largest", "connectivity", "plugins"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        if (line.Positionals.Count > 0)
            throw new CommandLineException($"unexpected argument '{line.Positionals[0]}'. Usage: {Usage}");
        string checkpoint = ExistingFile(line, "checkpoint", "checkpoint");
        string input = ExistingFile(line, "input", "image");
        string labelPath = OutputFile(line, "output", input) ?? throw new CommandLineException($"--output SEG is required. Usage: {Usage}");
        string? probabilityPath = OutputFile(line, "probabilities", input);
        if (probabilityPath == labelPath) throw new CommandLineException("--probabilities must differ from --output.");
        var preprocess = line.Value("preprocess") is { } preprocessFile ? ReadPreprocess(preprocessFile) : null;
        var options = Options(line, probabilityPath is not null);

        var watch = Stopwatch.StartNew();
        using var scope = NewDisposeScope();
        var loaded = CheckpointArguments.Guard(() => CheckpointConversion.LoadFolded(catalog, checkpoint));
        using var network = loaded.Network;
        var description = loaded.Description;
        CasePredictor predictor;
        try
        {
            predictor = new CasePredictor(network, options with { LabelType = CasePredictor.LabelTypeFor(network.OutChannels) }, CPU);
        }
        catch (ArgumentException e)
        {
            throw new UserFacingException($"{e.Message.Replace("roi_size", "--roi", StringComparison.Ordinal)} (checkpoint {checkpoint})", e);
        }
        output.Out.WriteLine($"model: {description.Backbone} from {checkpoint}; {network.InChannels} input channel(s), {network.OutChannels} classes");
        if (options.LargestComponent?.LabelOutside(network.OutChannels) is { } unknown)
            throw new UserFacingException($"--keep-largest: label {unknown} is not a class of the model (0..{network.OutChannels - 1}).");

        using var source = LoadCase(input, preprocess, network.InChannels);
        output.Out.WriteLine($"input: {input} {Shape(source.SourceHeader as NiftiHeader)}; " +
                             $"predicted on {string.Join('×', source.Image.shape.Skip(1))} at {Spacing(source.Spacing)} mm" +
                             (source.Preprocessing.Count == 0 ? "" : $" after {string.Join(", ", source.Preprocessing.Select(o => o.TransformName))}"));
        output.Out.WriteLine($"memory estimate: {predictor.EstimateMemory(source)}");

        using var prediction = predictor.Predict(source);
        if (probabilityPath is not null)
        {
            PredictionFiles.WriteProbabilities(probabilityPath, prediction.Probabilities!);
            output.Out.WriteLine($"wrote {probabilityPath} ({string.Join('×', prediction.Probabilities!.SpatialShape)}×{network.OutChannels} float32 probabilities)");
        }
        PredictionFiles.WriteLabels(labelPath, prediction.Labels);
        var counts = prediction.Labels.Data.flatten().to_type(ScalarType.Int64).bincount(null, network.OutChannels).data<long>().ToArray();
        output.Out.WriteLine($"wrote {labelPath} ({string.Join('×', prediction.Labels.SpatialShape)} labels; voxels per class: {string.Join(", ", counts)}) " +
                             $"in {watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s");
        return Task.FromResult(0);
    }

    private static string ExistingFile(CommandLine line, string option, string what)
    {
        string value = line.Value(option) is { Length: > 0 } given
            ? Path.GetFullPath(given)
            : throw new CommandLineException($"--{option} FILE is required (the {what}).");
        if (!File.Exists(value)) throw new UserFacingException($"--{option}: {what} '{value}' does not exist.");
        return value;
    }

    private static string? OutputFile(CommandLine line, string option, string input)
    {
        if (line.Value(option) is not { } given) return null;
        string path = Path.GetFullPath(given);
        if (!NiftiPaths.IsSingleFileName(path))
            throw new CommandLineException($"--{option}: '{given}' must end in .nii or .nii.gz.");
        if (path == input) throw new CommandLineException($"--{option} must differ from the input image '{input}'.");
        return path;
    }

    private static Compose ReadPreprocess(string file)
    {
        string path = Path.GetFullPath(file);
        if (!File.Exists(path)) throw new UserFacingException($"--preprocess: transform list '{path}' does not exist.");
        try
        {
            var compose = new TransformListReader(TransformRegistry.CreateBuiltIn()).Parse(File.ReadAllText(path), path);
            PredictionInput.RequireDeterministic(compose, path);
            return compose;
        }
        catch (Exception e) when (e is ManifestException or ArgumentException)
        {
            throw new UserFacingException($"--preprocess: {e.Message}", e);
        }
    }

    private static PredictionOptions Options(CommandLine line, bool probabilities)
    {
        var roi = CommandLineNumbers.Ints(line, "roi") ?? [DefaultRoi];
        var options = new PredictionOptions
        {
            RoiSize = roi.Length == 1 ? [roi[0], roi[0], roi[0]] : roi,
            Overlap = CommandLineNumbers.Double(line, "overlap") ?? DefaultOverlap,
            WindowBatchSize = CommandLineNumbers.Int(line, "sw-batch-size") ?? 1,
            Blend = line.Value("blend") is { } blend ? ParseBlend(blend) : BlendMode.Gaussian,
            MirrorAxes = CommandLineNumbers.Ints(line, "mirror-axes") ?? [],
            ProbabilityType = probabilities ? ScalarType.Float32 : null,
            LargestComponent = CommandLineNumbers.Ints(line, "keep-largest") is { } labels
                ? new LargestComponentFilter
                {
                    Labels = labels.Select(label => (long)label).ToArray(),
                    Connectivity = CommandLineNumbers.Int(line, "connectivity") ?? LargestComponentFilter.FullConnectivity,
                }
                : null,
        };
        if (options.LargestComponent is null && line.Value("connectivity") is not null)
            throw new CommandLineException("--connectivity applies to --keep-largest only.");
        var problems = options.Validate().ToList();
        if (problems.Count > 0)
            throw new CommandLineException(string.Join("; ", problems.Select(p => $"{OptionName(p.Key)}: {p.Message}")));
        return options;
    }

    private static BlendMode ParseBlend(string text) => text.Trim().ToLowerInvariant() switch
    {
        "gaussian" => BlendMode.Gaussian,
        "constant" => BlendMode.Constant,
        _ => throw new CommandLineException($"--blend: unknown mode '{text}'; expected gaussian or constant."),
    };

    /// <summary>Reads the image and runs the preprocess list; errors name the file.</summary>
    private static SegmentationCase LoadCase(string input, Compose? preprocess, int channels)
    {
        Volume image;
        try
        {
            image = new VolumeFileReader().Read(input);
        }
        catch (Exception e) when (e is IOException or NotSupportedException)
        {
            throw new UserFacingException(e.Message, e);
        }
        if (image.Channels != channels)
        {
            image.Dispose();
            throw new UserFacingException($"--input: '{input}' has {image.Channels} channel(s); the model takes {channels}.");
        }
        string id = Path.GetFileName(input);
        try
        {
            return PredictionInput.Prepare(id, image, preprocess);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            throw new UserFacingException($"--preprocess on '{input}': {e.Message}", e);
        }
    }

    /// <summary>The command's option for a prediction setting's snake_case key.</summary>
    private static string OptionName(string key) => key switch
    {
        "roi_size" => "--roi",
        "probabilities" => "--probabilities",
        "keep_largest_component" => "--keep-largest",
        "component_connectivity" => "--connectivity",
        _ => "--" + key.Replace('_', '-'),
    };

    private static string Shape(NiftiHeader? header) =>
        header is null ? "" : $"[{string.Join('×', header.Shape)}] {header.DataType?.Name ?? $"code {header.DataTypeCode}"}";

    private static string Spacing(IEnumerable<double> spacing) =>
        string.Join('×', spacing.Select(s => s.ToString("0.###", CultureInfo.InvariantCulture)));
}
