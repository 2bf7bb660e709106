namespace Pipeline.Tests.Cli;

/// <summary>A small, fast manifest (synthetic phantoms, the sample plugin's tiny U-Net) written to a temp folder.</summary>
public static class TinyPipeline
{
    public const string Yaml = """
        name: tiny
        seed: 3
        device: cpu
        output_root: runs
        datasets:
          phantoms:
            plugin: synthetic
            options:
              cases: 3
              validation_cases: 1
              size: [16, 16, 16]
              classes: 2
              seed: 5
        model:
          backbone: tiny-unet
          options:
            out_channels: 3
            feature_sizes: [4, 8]
        stages:
          - name: train
            plugin: train
            options:
              dataset: phantoms
              iterations: 6
              batch_size: 1
              patch_size: [16, 16, 16]
              learning_rate: 0.01
              validate_every: 3
              log_every: 1
              checkpoint_every: 3
              roi_size: [16, 16, 16]
          - name: validate
            plugin: validate
            options:
              dataset: phantoms
              model: train
              roi_size: [16, 16, 16]
        """;

    public static string Write(string folder, string yaml = Yaml)
    {
        Directory.CreateDirectory(folder);
        string path = Path.Combine(folder, "tiny.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }
}
