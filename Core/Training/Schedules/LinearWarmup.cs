namespace Pipeline.Core.Training.Schedules;

/// <summary>
/// The warmup shared by every schedule: during the first <c>W</c> steps the rate climbs linearly,
/// η(i) = η_base · i / W for step i = 1..W, so step W runs at the base rate and no step runs at rate 0.
/// </summary>
internal static class LinearWarmup
{
    /// <summary>Throws unless the arguments describe a schedule with at least one step after the warmup.</summary>
    public static void Check(double baseRate, int totalIterations, int warmupIterations)
    {
        if (!(baseRate > 0) || double.IsInfinity(baseRate))
            throw new ArgumentOutOfRangeException(nameof(baseRate), baseRate, "The base learning rate must be a finite number > 0.");
        if (totalIterations < 1)
            throw new ArgumentOutOfRangeException(nameof(totalIterations), totalIterations, "A schedule needs at least one iteration.");
        if (warmupIterations < 0 || warmupIterations >= totalIterations)
            throw new ArgumentOutOfRangeException(nameof(warmupIterations), warmupIterations,
                $"warmup_iterations must be in [0, iterations) = [0, {totalIterations}).");
    }

    /// <summary>Throws unless <paramref name="iteration"/> is a step of a schedule spanning <paramref name="totalIterations"/>.</summary>
    public static void CheckIteration(int iteration, int totalIterations)
    {
        if (iteration < 1 || iteration > totalIterations)
            throw new ArgumentOutOfRangeException(nameof(iteration), iteration, $"The iteration must be in [1, {totalIterations}].");
    }

    /// <summary>True when step <paramref name="iteration"/> lies in the warmup; <paramref name="rate"/> is then its rate.</summary>
    public static bool TryRate(double baseRate, int warmupIterations, int iteration, out double rate)
    {
        rate = iteration <= warmupIterations ? baseRate * iteration / warmupIterations : double.NaN;
        return iteration <= warmupIterations;
    }
}
