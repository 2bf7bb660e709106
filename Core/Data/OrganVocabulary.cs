namespace Pipeline.Core.Data;

/// <summary>
/// The common organ names every dataset plugin maps its labels onto, so a model trained on one dataset can be scored on
/// another (the paper's external validation: a FLARE model's spleen channel against MSD Spleen, kidney against KiTS,
/// ...). Names are lower-case snake_case. A name may have a parent (e.g. <c>kidney_left</c> → <c>kidney</c>,
/// <c>liver_tumor</c> → <c>liver</c>): scoring a model class against a dataset uses the dataset classes equal to it
/// or descending from it.
/// </summary>
public static class OrganVocabulary
{
    /// <summary>Label 0 of every dataset.</summary>
    public const string Background = "background";

    private static readonly IReadOnlyDictionary<string, string?> ParentOf = new Dictionary<string, string?>(StringComparer.Ordinal)
    {
        [Background] = null,
        ["spleen"] = null,
        ["kidney"] = null,
        ["kidney_right"] = "kidney",
        ["kidney_left"] = "kidney",
        ["kidney_tumor"] = "kidney",
        ["kidney_cyst"] = "kidney",
        ["liver"] = null,
        ["liver_tumor"] = "liver",
        ["pancreas"] = null,
        ["pancreas_tumor"] = "pancreas",
        ["gallbladder"] = null,
        ["esophagus"] = null,
        ["stomach"] = null,
        ["aorta"] = null,
        ["inferior_vena_cava"] = null,
        ["adrenal_gland"] = null,
        ["adrenal_gland_right"] = "adrenal_gland",
        ["adrenal_gland_left"] = "adrenal_gland",
        ["duodenum"] = null,
        ["bladder"] = null,
        ["prostate_uterus"] = null,
        ["brain"] = null,
    };

    // Spellings found in the published dataset.json files, normalised (lower case, spaces/dashes/slashes → '_').
    private static readonly IReadOnlyDictionary<string, string> Aliases = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["right_kidney"] = "kidney_right",
        ["left_kidney"] = "kidney_left",
        ["kidneys"] = "kidney",
        ["ivc"] = "inferior_vena_cava",
        ["arota"] = "aorta", // sic, in AMOS 2022's dataset.json
        ["postcava"] = "inferior_vena_cava",
        ["right_adrenal_gland"] = "adrenal_gland_right",
        ["left_adrenal_gland"] = "adrenal_gland_left",
        ["right_adrenal"] = "adrenal_gland_right",
        ["left_adrenal"] = "adrenal_gland_left",
        ["prostate"] = "prostate_uterus",
        ["uterus"] = "prostate_uterus",
        ["prostate_or_uterus"] = "prostate_uterus",
        ["gall_bladder"] = "gallbladder",
        ["urinary_bladder"] = "bladder",
        ["tumor"] = "tumor",
        ["tumour"] = "tumor",
        ["cancer"] = "tumor",
    };

    /// <summary>All vocabulary names.</summary>
    public static IReadOnlyCollection<string> Names => ParentOf.Keys.ToList();

    /// <summary>True when <paramref name="name"/> is a vocabulary name (already normalised).</summary>
    public static bool Contains(string name) => ParentOf.ContainsKey(name);

    /// <summary>
    /// The vocabulary name for a dataset's own label name (e.g. <c>"Right Kidney"</c> → <c>kidney_right</c>,
    /// <c>"IVC"</c> → <c>inferior_vena_cava</c>), or the normalised spelling itself when it is not an organ we know
    /// (such classes are kept, but only match classes of the same name).
    /// </summary>
    public static string Normalize(string datasetLabelName)
    {
        var chars = datasetLabelName.Trim().ToLowerInvariant()
            .Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray();
        string normalised = string.Join('_', new string(chars).Split('_', StringSplitOptions.RemoveEmptyEntries));
        return Aliases.TryGetValue(normalised, out var alias) ? alias : normalised;
    }

    /// <summary>The parent of a vocabulary name, or null for a top-level organ or an unknown name.</summary>
    public static string? Parent(string name) => ParentOf.TryGetValue(name, out var parent) ? parent : null;

    /// <summary>
    /// True when a dataset class counts as the given model class when scoring: the same name, or a descendant of it
    /// (dataset <c>kidney_left</c> counts as model <c>kidney</c>; dataset <c>kidney</c> does not count as model
    /// <c>kidney_left</c>).
    /// </summary>
    public static bool Covers(string modelClass, string datasetClass)
    {
        for (string? name = datasetClass; name is not null; name = Parent(name))
            if (name == modelClass) return true;
        return false;
    }
}
