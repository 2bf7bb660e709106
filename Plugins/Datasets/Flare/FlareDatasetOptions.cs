using System.ComponentModel;

namespace Pipeline.Plugins.Datasets.Flare;

/// <summary>Options of the <c>flare</c> dataset (FLARE 2021 abdominal CT).</summary>
public sealed class FlareDatasetOptions : Files.FileDatasetOptions
{
    /// <summary>
    /// A datalist JSON (relative to the root, or absolute) such as the released <c>dataset_FLARE.json</c>; when not
    /// set, the organisers' folders <c>TrainingImg/</c>, <c>TrainingMask/</c>, <c>ValidationImg/</c> are read.
    /// </summary>
    [Description("Datalist JSON (e.g. the released dataset_FLARE.json); default: the organisers' TrainingImg/TrainingMask/ValidationImg folders.")]
    public string? Datalist { get; set; }

    /// <summary>Which organ each label value means (the organisers' and the released JSON disagree on 1 and 3).</summary>
    [Description("organisers (1 liver, 2 kidney, 3 spleen, 4 pancreas) or repuxnet (1 spleen, 2 kidney, 3 liver, 4 pancreas).")]
    public FlareLabelOrder LabelOrder { get; set; } = FlareLabelOrder.Organisers;
}
