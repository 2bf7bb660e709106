namespace Pipeline.Plugins.Priors.Diagnostics;

/// <summary>The effective kernel of one BFR mode after a number of training steps (= forward calls).</summary>
/// <param name="Mode">The BFR mode.</param>
/// <param name="Calls">Training steps, each one forward call, made so far.</param>
/// <param name="Profile">The effective kernel's profile (<see cref="EffectiveKernel"/>).</param>
/// <param name="RelativeChange">‖K_n − K_0‖ / ‖K_0‖ of the effective kernel over the taps outside the centre 3³.</param>
public sealed record BfrCollapseMeasurement(Bfr.BfrMode Mode, int Calls, KernelProfile Profile, double RelativeChange);
