using Pipeline.Core.Training;
using static TorchSharp.torch;

namespace Pipeline.Tests.Training;

public class DiceScoreTests
{
    [Fact]
    public void KnownOverlapsAndTheEmptyClassRule()
    {
        using var scope = NewDisposeScope();
        // 40 voxels. Class 1: reference 0..9, prediction 5..14 → 2·5 / (10 + 10) = 0.5.
        // Class 2: absent from both → NaN. Class 3: reference 20..23, never predicted → 0.
        // Class 4: predicted 30..31 but absent from the reference → 0.
        var reference = zeros(40, ScalarType.Int64);
        var predicted = zeros(40, ScalarType.Int64);
        reference[..10] = tensor(1L);
        predicted[5..15] = tensor(1L);
        reference[20..24] = tensor(3L);
        predicted[30..32] = tensor(4L);

        var dice = DiceScore.PerClass(predicted.reshape(2, 4, 5), reference.reshape(2, 4, 5), classCount: 5);
        Assert.Equal(4, dice.Length);
        Assert.Equal(0.5, dice[0], 12);
        Assert.True(double.IsNaN(dice[1]));
        Assert.Equal(0.0, dice[2]);
        Assert.Equal(0.0, dice[3]);
        Assert.Equal(1.0 / 6, DiceScore.MeanIgnoringNaN(dice), 12);
        Assert.True(double.IsNaN(DiceScore.MeanIgnoringNaN([double.NaN])));
    }

    [Fact]
    public void CubesInsideAVolume()
    {
        using var scope = NewDisposeScope();
        // Reference: a 4³ cube of class 2; prediction: the same cube shifted by one voxel along W → 2·48 / 128.
        var reference = zeros([8, 8, 8], ScalarType.Int64);
        var predicted = zeros([8, 8, 8], ScalarType.Int64);
        reference[2..6, 2..6, 2..6] = tensor(2L);
        predicted[2..6, 2..6, 3..7] = tensor(2L);
        var dice = DiceScore.PerClass(predicted, reference, classCount: 3);
        Assert.True(double.IsNaN(dice[0]));
        Assert.Equal(96.0 / 128, dice[1], 12);
        Assert.Equal(1.0, DiceScore.PerClass(reference, reference, 3)[1]);
    }

    [Fact]
    public void FromLogitsUsesTheArgmaxAndRejectsMismatches()
    {
        using var scope = NewDisposeScope();
        var reference = tensor(new long[] { 0, 1, 1, 2 }, [1, 1, 4]);
        // One-hot logits of the prediction (0, 1, 2, 2).
        var logits = nn.functional.one_hot(tensor(new long[] { 0, 1, 2, 2 }, [1, 1, 1, 4]), 3).permute(0, 4, 1, 2, 3).to_type(ScalarType.Float32);
        var dice = DiceScore.PerClassFromLogits(logits, reference);
        Assert.Equal(2.0 / 3, dice[0], 12); // class 1: predicted 1 of its 2 voxels
        Assert.Equal(2.0 / 3, dice[1], 12); // class 2: 1 common voxel, sizes 2 and 1
        Assert.Throws<ArgumentException>(() => DiceScore.PerClass(zeros(3, ScalarType.Int64), zeros(4, ScalarType.Int64), 2));
        Assert.Throws<ArgumentException>(() => DiceScore.PerClass(full(3, 5L), zeros(3, ScalarType.Int64), 2));
    }
}
