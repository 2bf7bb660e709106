using System.Text.Json;
using Pipeline.Core.Metrics;

namespace Pipeline.Tests.Metrics;

public class MetricsReportTests
{
    private static ClassMetrics Result(long label, double dice, double hd95, double nsd, long referenceVoxels = 10, long predictionVoxels = 10) =>
        new(label, dice, hd95, nsd, 1.0, referenceVoxels, predictionVoxels, Math.Min(referenceVoxels, predictionVoxels) / 2, 8, 8);

    private static readonly MetricClass[] Classes = [new(1, "liver"), new(2, "tumour, left")];

    /// <summary>Three cases; class 2 is absent from the reference of case c and missed in case b.</summary>
    private static MetricsReport Report() => new(Classes,
    [
        new CaseMetrics("a", [1.0, 1.0, 2.5], [Result(1, 0.9, 2.0, 0.8), Result(2, 0.5, 4.0, 0.4)]),
        new CaseMetrics("b", [1.0, 1.0, 2.5], [Result(1, 0.7, 3.0, 0.6), Result(2, 0.0, double.NaN, 0.0, predictionVoxels: 0)]),
        new CaseMetrics("c", [0.8, 0.8, 3.0], [Result(1, 0.8, 7.0, 0.7), Result(2, double.NaN, double.NaN, double.NaN, referenceVoxels: 0)]),
    ], new MetricOptions { EmptyReference = EmptyReferencePolicy.Ignore, NsdToleranceMmByLabel = new Dictionary<long, double> { [2] = 2.0 } });

    [Fact]
    public void SummaryStatisticsSkipUndefinedValuesAndUseTheSampleDeviation()
    {
        var statistics = SummaryStatistics.Of([4.0, double.NaN, 1.0, 3.0, 2.0]);
        Assert.Equal(4, statistics.Count);
        Assert.Equal(2.5, statistics.Mean, 12);
        Assert.Equal(Math.Sqrt(5.0 / 3), statistics.StandardDeviation, 12); // Σ(x − 2.5)² = 5, n − 1 = 3
        Assert.Equal(2.5, statistics.Median, 12);

        var single = SummaryStatistics.Of([double.NaN, 7.0]);
        Assert.Equal((1, 7.0, 7.0), (single.Count, single.Mean, single.Median));
        Assert.True(double.IsNaN(single.StandardDeviation));
        var none = SummaryStatistics.Of([double.NaN]);
        Assert.Equal(0, none.Count);
        Assert.True(double.IsNaN(none.Mean) && double.IsNaN(none.Median));
    }

    [Fact]
    public void SummariesCountCasesAndEmptiesPerClass()
    {
        var report = Report();
        var liver = report.Summaries[0];
        Assert.Equal((3, 0, 0, 0), (liver.Cases, liver.ReferenceEmpty, liver.PredictionEmpty, liver.BothEmpty));
        Assert.Equal(0.8, liver.Dice.Mean, 12);
        Assert.Equal(0.1, liver.Dice.StandardDeviation, 12);
        Assert.Equal(4.0, liver.Hd95Mm.Mean, 12);
        Assert.Equal(3.0, liver.Hd95Mm.Median, 12);

        var tumour = report.Summaries[1];
        Assert.Equal((3, 1, 1, 0), (tumour.Cases, tumour.ReferenceEmpty, tumour.PredictionEmpty, tumour.BothEmpty));
        Assert.Equal(2, tumour.Dice.Count);
        Assert.Equal(0.25, tumour.Dice.Mean, 12);
        Assert.Equal(1, tumour.Hd95Mm.Count);
        Assert.Equal(4.0, tumour.Hd95Mm.Mean, 12);
        Assert.Equal((0.8 + 0.25) / 2, report.MeanDice, 12);
        Assert.Equal(4.0, report.MeanHd95Mm, 12);
    }

    [Fact]
    public void MismatchedCasesAreRejected()
    {
        var wrongLabels = new CaseMetrics("x", [1.0, 1.0, 1.0], [Result(2, 1, 0, 1), Result(1, 1, 0, 1)]);
        Assert.Contains("'x'", Assert.Throws<ArgumentException>(() => new MetricsReport(Classes, [wrongLabels], new MetricOptions())).Message);
        var twice = new CaseMetrics("y", [1.0, 1.0, 1.0], [Result(1, 1, 0, 1), Result(2, 1, 0, 1)]);
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(() => new MetricsReport(Classes, [twice, twice], new MetricOptions())).Message);
    }

    [Fact]
    public void JsonHoldsDefinitionsSummaryAndCasesWithNullForUndefined()
    {
        using var document = JsonDocument.Parse(MetricsReportWriter.Json(Report()));
        var root = document.RootElement;
        Assert.Equal("ignore", root.GetProperty("definitions").GetProperty("empty_reference_policy").GetString());
        Assert.Equal(2.0, root.GetProperty("classes")[1].GetProperty("nsd_tolerance_mm").GetDouble());

        var summary = root.GetProperty("summary");
        Assert.Equal(3, summary.GetProperty("cases").GetInt32());
        var tumour = summary.GetProperty("classes")[1];
        Assert.Equal("tumour, left", tumour.GetProperty("name").GetString());
        Assert.Equal(1, tumour.GetProperty("reference_empty").GetInt32());
        Assert.Equal(1, tumour.GetProperty("hd95_mm").GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, tumour.GetProperty("hd95_mm").GetProperty("std").ValueKind);
        Assert.Equal(0.25, tumour.GetProperty("dice").GetProperty("mean").GetDouble(), 12);

        var caseC = root.GetProperty("cases")[2];
        Assert.Equal("c", caseC.GetProperty("case").GetString());
        Assert.Equal([0.8, 0.8, 3.0], caseC.GetProperty("spacing_mm").EnumerateArray().Select(e => e.GetDouble()));
        var missing = caseC.GetProperty("classes")[1];
        Assert.Equal(JsonValueKind.Null, missing.GetProperty("dice").ValueKind);
        Assert.True(missing.GetProperty("reference_empty").GetBoolean());
        Assert.Equal(0.7, caseC.GetProperty("classes")[0].GetProperty("nsd").GetDouble());
    }

    [Fact]
    public void CsvTablesHaveOneRowPerCaseAndClassAndOnePerClass()
    {
        var report = Report();
        var cases = MetricsReportWriter.CasesCsv(report).TrimEnd('\n').Split('\n');
        Assert.Equal(1 + 3 * 2, cases.Length);
        Assert.Equal(string.Join(',', MetricsReportWriter.CaseColumns), cases[0]);
        Assert.Equal("a,1,liver,0.9,2,0.8,1,10,10,5,8,8,false,false", cases[1]);
        Assert.Equal("c,2,\"tumour, left\",NaN,NaN,NaN,1,0,10,0,8,8,true,false", cases[6]);

        var summary = MetricsReportWriter.SummaryCsv(report).TrimEnd('\n').Split('\n');
        Assert.Equal(1 + 2, summary.Length);
        Assert.Equal(string.Join(',', MetricsReportWriter.SummaryColumns), summary[0]);
        Assert.StartsWith("2,\"tumour, left\",3,1,1,0,2,0.25,", summary[2]);
        Assert.Contains(",1,4,NaN,4,", summary[2]); // HD95: one value, so no deviation
    }

    [Fact]
    public void WriteAllReplacesTheFilesAtomically()
    {
        var folder = Directory.CreateTempSubdirectory("pipeline-metrics-");
        try
        {
            var report = Report();
            File.WriteAllText(Path.Combine(folder.FullName, MetricsReportWriter.JsonFile), "old");
            var paths = MetricsReportWriter.WriteAll(folder.FullName, report);
            Assert.Equal(MetricsReportWriter.Json(report), File.ReadAllText(paths[0]));
            Assert.Equal(MetricsReportWriter.CasesCsv(report), File.ReadAllText(paths[1]));
            Assert.Equal(MetricsReportWriter.SummaryCsv(report), File.ReadAllText(paths[2]));
            Assert.Equal(3, Directory.GetFiles(folder.FullName).Length); // no temporary file left behind
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
