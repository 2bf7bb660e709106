namespace Pipeline.Plugins.Datasets.Flare;

/// <summary>Which organ each FLARE label value means.</summary>
public enum FlareLabelOrder
{
    /// <summary>The organisers' definition (FLARE21 / AbdomenCT-1K): 1 liver, 2 kidney, 3 spleen, 4 pancreas.</summary>
    Organisers,

    /// <summary>The released 3D UX-Net / RepUX-Net <c>dataset_FLARE.json</c>: 1 spleen, 2 kidney, 3 liver, 4 pancreas.</summary>
    Repuxnet,
}
