namespace Pipeline.Plugins.Datasets.NnUnet;

/// <summary>Options of the <c>nnunet</c> dataset: an nnU-Net v2 raw dataset folder (<c>DatasetNNN_Name/</c>).</summary>
public sealed class NnUnetDatasetOptions : Files.FileDatasetOptions
{
}
