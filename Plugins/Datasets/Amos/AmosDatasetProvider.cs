using System.Globalization;
using Pipeline.Core.Data;
using Pipeline.Core.Plugins;
using Pipeline.Plugins.Datasets.Files;
using Pipeline.Plugins.Datasets.Msd;

namespace Pipeline.Plugins.Datasets.Amos;

/// <summary>
/// The <c>amos</c> dataset plugin: AMOS 2022 as released — <c>dataset.json</c> (15 organs in its <c>labels</c>
/// order: spleen, right kidney, left kidney, gallbladder, esophagus, liver, stomach, aorta, IVC, pancreas, right
/// adrenal, left adrenal, duodenum, bladder, prostate/uterus), <c>imagesTr/labelsTr</c>, <c>imagesVa/labelsVa</c>
/// (its own validation list) and <c>imagesTs</c>. Case ids are <c>amos_NNNN</c>; CT and MRI are told apart by id.
/// </summary>
[ExportDataset("amos", "1.0.0", "AMOS 2022 (dataset.json, imagesTr/Va/Ts); 15 abdominal organs; CT and/or MRI.")]
public sealed class AmosDatasetProvider : IDatasetProvider
{
    /// <inheritdoc />
    public Type OptionsType => typeof(AmosDatasetOptions);

    /// <inheritdoc />
    public ISegmentationDataset Open(object options, DatasetOpenContext context)
    {
        var typed = FileDatasetOpening.Require<AmosDatasetOptions>(options, context);
        var index = JsonDatasetIndex.Load(context.Name, Path.Combine(typed.RootPath, "dataset.json"));
        var labels = MsdDatasetProvider.ReadIntKeyedNames(index, "labels");
        var (cases, validation) = Datalist.Read(index, typed.RootPath);
        cases = cases.Where(c => Keep(c.Id, typed.Modality)).ToList();
        validation = validation?.Where(id => Keep(id, typed.Modality)).ToList();
        return FileDatasetOpening.Open(typed, context, cases, labels, inputChannels: 1, validation);
    }

    /// <summary>Whether case <paramref name="id"/> (<c>amos_0123</c>) belongs to <paramref name="modality"/>.</summary>
    internal static bool Keep(string id, AmosModality modality)
    {
        if (modality == AmosModality.All) return true;
        int underscore = id.LastIndexOf('_');
        bool numbered = int.TryParse(id[(underscore + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var number);
        if (!numbered) return modality == AmosModality.Ct;
        return modality == AmosModality.Ct ? number < 500 : number >= 500;
    }
}
