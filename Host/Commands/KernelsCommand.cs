using System.Globalization;
using System.Text.Json;
using Pipeline.Cli.Cli;
using Pipeline.Core.Composition;
using Pipeline.Core.Engine;
using Pipeline.Plugins.Priors.Diagnostics;
using static TorchSharp.torch;

namespace Pipeline.Cli.Commands;

/// <summary>
/// <c>pipeline kernels CHECKPOINT [--json] [--min-kernel-size N]</c>: loads a model checkpoint and reports, for every
/// large depthwise layer, the effective kernel's radial profile (mean |w| per distance shell) and how much of its
/// energy lies outside the centre 3³ (see <see cref="NetworkKernelDiagnostics"/>).
/// </summary>
public sealed class KernelsCommand(IPluginCatalog catalog, CliOutput output) : ICliCommand
{
    /// <inheritdoc />
    public string Name => "kernels";

    /// <inheritdoc />
    public string Usage => "pipeline kernels CHECKPOINT [--json] [--min-kernel-size 5] [--plugins DIR]...";

    /// <inheritdoc />
    public IReadOnlyCollection<string> AcceptedOptions => ["json", "min-kernel-size", "plugins"];

    /// <inheritdoc />
    public Task<int> ExecuteAsync(CommandLine line, CancellationToken cancellationToken)
    {
        if (line.Positionals.Count != 1) throw new CommandLineException($"expected one CHECKPOINT. Usage: {Usage}");
        string path = line.Positionals[0];
        int minKernelSize = CommandLineNumbers.Int(line, "min-kernel-size") ?? 5;

        ModelDescription description;
        IReadOnlyList<LayerKernelReport> reports;
        try
        {
            using var network = ModelFactory.LoadCheckpoint(catalog, path, CPU, out description);
            reports = NetworkKernelDiagnostics.Measure(network, minKernelSize);
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or UnknownPluginException)
        {
            throw new UserFacingException(e.Message, e);
        }

        if (line.Flag("json")) WriteJson(path, description, reports);
        else WriteTables(path, description, reports);
        return Task.FromResult(0);
    }

    private void WriteJson(string path, ModelDescription description, IReadOnlyList<LayerKernelReport> reports)
    {
        var document = new Dictionary<string, object>
        {
            ["checkpoint"] = path,
            ["backbone"] = description.Backbone,
            ["prior"] = description.Prior,
            ["prior_folded"] = description.PriorFolded,
            ["layers"] = reports.Select(r => new Dictionary<string, object>
            {
                ["layer"] = r.Layer,
                ["channels"] = r.Channels,
                ["kernel_size"] = r.KernelSize,
                ["reparameterization"] = r.Reparameterization,
                ["mean_abs_by_shell"] = r.Profile.MeanAbsByShell,
                ["energy"] = r.Profile.Energy,
                ["energy_outside_centre3"] = r.Profile.EnergyOutsideCentre,
                ["energy_fraction_outside_centre3"] = r.Profile.EnergyFractionOutsideCentre,
                ["taps_outside_centre3"] = r.Profile.OffCentreTaps,
                ["nonzero_taps_outside_centre3"] = r.Profile.NonZeroOffCentreTaps,
            }).ToList(),
        };
        output.Out.WriteLine(JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }

    private void WriteTables(string path, ModelDescription description, IReadOnlyList<LayerKernelReport> reports)
    {
        var text = output.Out;
        text.WriteLine($"checkpoint {path}: backbone {description.Backbone}, prior {description.Prior}{(description.PriorFolded ? " (folded)" : "")}");
        if (reports.Count == 0) text.WriteLine("no depthwise layer with kernel size >= --min-kernel-size.");
        foreach (var report in reports)
        {
            var profile = report.Profile;
            text.WriteLine();
            text.WriteLine($"{report.Layer}  C={report.Channels} k={report.KernelSize} reparameterization={report.Reparameterization}");
            text.WriteLine(Invariant($"  energy outside centre 3^3: {profile.EnergyFractionOutsideCentre:P2} ({profile.EnergyOutsideCentre:G4} of {profile.Energy:G4}); non-zero taps outside: {profile.NonZeroOffCentreTaps} / {profile.OffCentreTaps}"));
            text.WriteLine("  shell r   mean |w|");
            for (int r = 0; r < profile.MeanAbsByShell.Count; r++)
                text.WriteLine(Invariant($"  {r,7}   {profile.MeanAbsByShell[r]:E3}"));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
