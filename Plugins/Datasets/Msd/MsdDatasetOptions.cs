namespace Pipeline.Plugins.Datasets.Msd;

/// <summary>Options of the <c>msd</c> dataset: a Medical Segmentation Decathlon task folder (<c>TaskNN_Name/</c>).</summary>
public sealed class MsdDatasetOptions : Files.FileDatasetOptions
{
}
