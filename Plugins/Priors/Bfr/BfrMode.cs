namespace Pipeline.Plugins.Priors.Bfr;

/// <summary>How the <c>bfr</c> prior applies the Bayesian frequency matrix (YAML key <c>mode</c>).</summary>
public enum BfrMode
{
    /// <summary>
    /// As the paper describes it: the trainable latent kernel W is convolved as W ⊙ BFM, so ∂L/∂W = BFM ⊙ ∂L/∂W_eff;
    /// folding writes W ⊙ BFM into the layer once.
    /// </summary>
    Reparam,

    /// <summary>
    /// As the released code behaves: every forward call (train and eval, with or without gradients) multiplies the
    /// stored kernel by the BFM in place and uses it; the kernel gets no optimizer updates.
    /// </summary>
    Official,
}
