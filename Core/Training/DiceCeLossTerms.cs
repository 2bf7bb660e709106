using static TorchSharp.torch;

namespace Pipeline.Core.Training;

/// <summary>The parts of one <see cref="DiceCeLoss"/> evaluation, all scalar tensors in the caller's dispose scope.</summary>
/// <param name="Total">λ_dice · <paramref name="Dice"/> + λ_ce · <paramref name="CrossEntropy"/>; call backward on this.</param>
/// <param name="Dice">The mean soft Dice loss.</param>
/// <param name="CrossEntropy">The mean cross-entropy.</param>
public sealed record DiceCeLossTerms(Tensor Total, Tensor Dice, Tensor CrossEntropy);
