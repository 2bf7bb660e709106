using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using Pipeline.Core.Data;
using Pipeline.Core.Engine;
using Pipeline.Core.Evaluation;
using Pipeline.Core.IO;
using Pipeline.Core.Inference;
using Pipeline.Core.Metrics;
using Pipeline.Core.Nn;
using Pipeline.Core.Plugins;
using Pipeline.Core.Training;
using static TorchSharp.torch;

namespace Pipeline.Core.Stages;

/// <summary>
/// The <c>external-validation</c> stage: the paper's external setting. A trained model (a stage's checkpoint or a
/// file) predicts every case of each external dataset; its classes are matched to the dataset's through the organ
/// vocabulary (<see cref="OrganMatch"/>), and each matched organ is scored with Dice, HD95 and NSD. Writes one report
/// per dataset (<c>DATASET/metrics.json</c>, <c>metrics_cases.csv</c>, <c>metrics_summary.csv</c>) and a combined table
/// laid out like the paper's (<c>external_validation.csv</c>, <c>external_validation.md</c>: one column per dataset
/// organ, mean Dice), each written atomically.
/// </summary>
[ExportStage("external-validation", "1.0.0", "Scores a trained model on other datasets through the organ vocabulary (Dice, HD95, NSD).")]
public sealed class ExternalValidationStage : IStage
{
    /// <summary>The combined table, CSV.</summary>
    public const string CombinedCsvFile = "external_validation.csv";

    /// <summary>The combined table, markdown.</summary>
    public const string CombinedMarkdownFile = "external_validation.md";

    /// <inheritdoc />
    public Type OptionsType => typeof(ExternalValidationOptions);

    /// <inheritdoc />
    public Task<StageResult> RunAsync(StageContext context, object options, CancellationToken cancellationToken)
    {
        var typed = StageOptionChecks.Require<ExternalValidationOptions>(options, context.StageName);
        return Task.Run(() => Run(context, typed, cancellationToken), CancellationToken.None);
    }

    private static StageResult Run(StageContext context, ExternalValidationOptions options, CancellationToken cancellationToken)
    {
        string checkpoint = options.CheckpointFile is { } file ? Path.GetFullPath(file) : StageCheckpoints.Path(context, options.Model!, options.Checkpoint);
        var modelClasses = options.ModelClasses.Length > 0
            ? options.ModelClasses.Select(OrganVocabulary.Normalize).ToList()
            : context.Datasets.Get(options.ModelDataset!).ClassNames.ToList();
        using var network = context.Models.Load(checkpoint);
        context.Models.Fold(network);
        if (network.OutChannels != modelClasses.Count)
            throw new InvalidOperationException(
                $"Stage '{context.StageName}': the model predicts {network.OutChannels} classes but {modelClasses.Count} class names were given ({string.Join(", ", modelClasses)}).");
        StageOptionChecks.RequireDivisible(network, options.RoiSize, "roi_size", context.StageName);
        network.eval();
        var inference = new SlidingWindowInference(options.RoiSize, options.Overlap, options.SwBatchSize);
        var metricOptions = new MetricOptions { NsdToleranceMm = options.NsdToleranceMm, EmptyReference = EmptyReferencePolicy.Score };

        var result = new StageResult();
        var rows = new List<(string Dataset, ClassSummary Summary, string ReferenceClasses)>();
        foreach (var datasetName in options.Datasets)
        {
            var dataset = context.Datasets.Get(datasetName);
            if (dataset.InputChannels != network.InChannels)
                throw new InvalidOperationException(
                    $"Stage '{context.StageName}': dataset '{datasetName}' has {dataset.InputChannels} input channel(s); the model takes {network.InChannels}.");
            OrganMatch match;
            try
            {
                match = OrganMatch.Create(modelClasses, dataset.ClassNames);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"Stage '{context.StageName}': dataset '{datasetName}': {e.Message}", e);
            }
            var ids = StageOptionChecks.RequireSplit(dataset, datasetName, options.Split, "split", context.StageName);
            context.Logger.LogInformation("External validation on {Dataset} ({Cases} cases): organs {Organs}", datasetName, ids.Count, string.Join(", ", match.Organs));
            var cases = new List<CaseMetrics>();
            foreach (var id in ids)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    result.Interrupted = true;
                    return result;
                }
                cases.Add(ScoreCase(network, inference, context.Device, dataset, id, match, metricOptions));
                context.Progress.Report(new ProgressUpdate(context.StageName, cases.Count, ids.Count,
                    new Dictionary<string, double> { ["dice"] = SummaryStatistics.MeanOf(cases[^1].Classes.Select(c => c.Dice)) }));
            }
            var classes = match.Organs.Select((organ, k) => new MetricClass(k + 1, organ)).ToList();
            var report = new MetricsReport(classes, cases, metricOptions);
            string folder = Path.Combine(context.StageDirectory, datasetName);
            MetricsReportWriter.WriteAll(folder, report);
            result.Artifacts[$"{datasetName}_metrics"] = Path.Combine(folder, MetricsReportWriter.JsonFile);
            foreach (var (summary, k) in report.Summaries.Select((s, k) => (s, k)))
            {
                rows.Add((datasetName, summary, string.Join("+", match.DatasetClassesOf(k, dataset.ClassNames))));
                result.Summary[$"{datasetName}/{summary.Class.Name}/dice"] = JsonNumber.OrNull(summary.Dice.Mean);
            }
            context.Metrics.Write(new Dictionary<string, object?>
            {
                ["stage"] = context.StageName,
                ["dataset"] = datasetName,
                ["mean_dice"] = JsonNumber.OrNull(report.MeanDice),
                ["mean_hd95_mm"] = JsonNumber.OrNull(report.MeanHd95Mm),
            });
            context.Logger.LogInformation("{Dataset}: mean Dice {Dice:F4}, mean HD95 {Hd95:F2} mm over {Cases} cases", datasetName, report.MeanDice, report.MeanHd95Mm, cases.Count);
        }
        context.Progress.Complete(context.StageName);

        string csv = Path.Combine(context.StageDirectory, CombinedCsvFile);
        string markdown = Path.Combine(context.StageDirectory, CombinedMarkdownFile);
        AtomicFile.WriteAllText(csv, CombinedCsv(rows));
        AtomicFile.WriteAllText(markdown, CombinedMarkdown(rows, checkpoint));
        result.Artifacts["combined_csv"] = csv;
        result.Artifacts["combined_markdown"] = markdown;
        return result;
    }

    private static CaseMetrics ScoreCase(SegmentationNetwork network, SlidingWindowInference inference, Device device,
        ISegmentationDataset dataset, string id, OrganMatch match, MetricOptions options)
    {
        using var scope = NewDisposeScope();
        using var source = dataset.Load(id);
        if (source.Label is null) throw new InvalidOperationException($"Case '{id}' has no label map; external validation needs labels.");
        var logits = inference.Predict(network.call, source.Image.unsqueeze(0).to(device));
        var predicted = logits.argmax(1)[0].cpu();
        var prediction = tensor(match.ModelToOrgan).index_select(0, predicted.flatten()).reshape(predicted.shape);
        var reference = tensor(match.DatasetToOrgan).index_select(0, source.Label.flatten()).reshape(source.Label.shape);
        var labels = Enumerable.Range(1, match.Organs.Count).Select(k => (long)k).ToList();
        return SegmentationMetrics.ComputeCase(id, prediction, reference, source.Spacing, labels, options);
    }

    private static string Format(double value, string format) => double.IsNaN(value) ? "NaN" : value.ToString(format, CultureInfo.InvariantCulture);

    private static string CombinedCsv(IEnumerable<(string Dataset, ClassSummary Summary, string ReferenceClasses)> rows)
    {
        var text = new StringBuilder("dataset,organ,reference_classes,cases,dice_mean,dice_std,dice_median,hd95_mm_mean,hd95_mm_median,nsd_mean\n");
        foreach (var (dataset, s, reference) in rows)
            text.Append(CultureInfo.InvariantCulture, $"{dataset},{s.Class.Name},{reference},{s.Cases},{Format(s.Dice.Mean, "0.####")},{Format(s.Dice.StandardDeviation, "0.####")},")
                .Append(CultureInfo.InvariantCulture, $"{Format(s.Dice.Median, "0.####")},{Format(s.Hd95Mm.Mean, "0.##")},{Format(s.Hd95Mm.Median, "0.##")},{Format(s.Nsd.Mean, "0.####")}\n");
        return text.ToString();
    }

    /// <summary>The paper's layout: one column per external dataset's organ, mean Dice in the row; details below.</summary>
    private static string CombinedMarkdown(IReadOnlyList<(string Dataset, ClassSummary Summary, string ReferenceClasses)> rows, string checkpoint)
    {
        var text = new StringBuilder();
        text.Append("# External validation\n\nCheckpoint: `").Append(checkpoint).Append("`\n\n");
        text.Append("| model | ").AppendJoin(" | ", rows.Select(r => $"{r.Dataset} {r.Summary.Class.Name}")).Append(" |\n");
        text.Append("|---|").AppendJoin("", rows.Select(_ => "---:|")).Append('\n');
        text.Append("| Dice | ").AppendJoin(" | ", rows.Select(r => Format(r.Summary.Dice.Mean, "0.000"))).Append(" |\n");
        text.Append("| HD95 mm | ").AppendJoin(" | ", rows.Select(r => Format(r.Summary.Hd95Mm.Mean, "0.00"))).Append(" |\n");
        text.Append("| NSD | ").AppendJoin(" | ", rows.Select(r => Format(r.Summary.Nsd.Mean, "0.000"))).Append(" |\n\n");
        text.Append("| dataset | organ | scored against | cases | Dice mean ± std | Dice median | HD95 mm median |\n|---|---|---|---:|---:|---:|---:|\n");
        foreach (var (dataset, s, reference) in rows)
            text.Append(CultureInfo.InvariantCulture,
                $"| {dataset} | {s.Class.Name} | {reference} | {s.Cases} | {Format(s.Dice.Mean, "0.000")} ± {Format(s.Dice.StandardDeviation, "0.000")} | {Format(s.Dice.Median, "0.000")} | {Format(s.Hd95Mm.Median, "0.00")} |\n");
        return text.ToString();
    }
}
