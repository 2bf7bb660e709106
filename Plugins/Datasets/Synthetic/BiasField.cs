namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>
/// A smooth multiplicative intensity inhomogeneity, like an MR bias field: exp(strength · f) where f is a random
/// combination of the linear and quadratic monomials of the normalised coordinates, scaled so |f| ≤ 1. A strength of
/// 0.3 therefore changes intensities by at most a factor e^±0.3 (about ±35 %).
/// </summary>
internal sealed class BiasField
{
    private const int Terms = 9;
    private readonly double[] _coefficients = new double[Terms];
    private readonly double _strength;

    /// <param name="random">Source of the random coefficients.</param>
    /// <param name="strength">Maximum absolute log-gain; 0 gives a flat field.</param>
    public BiasField(PhantomRandom random, double strength)
    {
        _strength = strength;
        double sum = 0;
        for (int k = 0; k < Terms; k++)
        {
            _coefficients[k] = random.Uniform(-1.0, 1.0);
            sum += Math.Abs(_coefficients[k]);
        }
        // Every monomial is within [-1, 1] on the normalised cube, so dividing by Σ|c| bounds |f| by 1.
        for (int k = 0; k < Terms; k++)
            _coefficients[k] /= sum;
    }

    /// <summary>Multiplies <paramref name="image"/> (laid out on <paramref name="grid"/>) by the field, in place.</summary>
    public void Apply(float[] image, PhantomGrid grid)
    {
        if (_strength == 0) return;
        var (nd, nh, nw) = (grid.Size[0], grid.Size[1], grid.Size[2]);
        for (int d = 0; d < nd; d++)
        {
            double z = Normalised(d, nd);
            for (int h = 0; h < nh; h++)
            {
                double y = Normalised(h, nh);
                for (int w = 0; w < nw; w++)
                {
                    double x = Normalised(w, nw);
                    double f = _coefficients[0] * z + _coefficients[1] * y + _coefficients[2] * x
                             + _coefficients[3] * z * y + _coefficients[4] * y * x + _coefficients[5] * z * x
                             + _coefficients[6] * z * z + _coefficients[7] * y * y + _coefficients[8] * x * x;
                    image[grid.Index(d, h, w)] *= (float)Math.Exp(_strength * f);
                }
            }
        }
    }

    private static double Normalised(int index, int count) => count == 1 ? 0.0 : 2.0 * index / (count - 1) - 1.0;
}
