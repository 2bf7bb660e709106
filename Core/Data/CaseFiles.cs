namespace Pipeline.Core.Data;

/// <summary>
/// The files of one case as a dataset's layout names them: one image file per channel (or one 4-D file holding all
/// channels), and the label file when the case is labelled.
/// </summary>
/// <param name="Id">Case identifier, unique within the dataset (e.g. <c>spleen_2</c>, <c>case_00012</c>).</param>
/// <param name="ImagePaths">Absolute paths of the image files, in channel order.</param>
/// <param name="LabelPath">Absolute path of the label map, or null for an unlabelled (test) case.</param>
public sealed record CaseFiles(string Id, IReadOnlyList<string> ImagePaths, string? LabelPath);
