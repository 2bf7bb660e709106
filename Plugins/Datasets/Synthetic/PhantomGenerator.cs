namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>
/// Builds one procedural phantom from (seed, case index): an ellipsoidal body in air, with labelled ellipsoids,
/// tubes and shells placed inside it, class intensities that overlap (ellipsoids and shells are about equally
/// bright; per-case and per-structure jitter blurs the rest), partial-volume blur, a smooth bias field and Gaussian
/// noise, then z-score normalisation. Each case has its own random stream, so a case does not depend on which
/// cases were generated before it.
/// </summary>
internal sealed class PhantomGenerator(SyntheticDatasetOptions options)
{
    // Raw tissue intensities before bias, noise and normalisation (air = 0, body = 1).
    private const double BodyIntensity = 1.0;
    private const double CaseIntensityJitter = 0.15;
    private const double StructureIntensityJitter = 0.08;
    private const int PlacementAttempts = 60;

    /// <summary>
    /// Mean raw intensity of a structure class. Ellipsoids and shells are deliberately about equally bright, and tubes
    /// only moderately brighter, so that the bias field and noise make intensity alone ambiguous.
    /// </summary>
    private static double BaseIntensity(int classIndex) => classIndex switch
    {
        EllipsoidStructure.Class => 1.7,
        TubeStructure.Class => 2.1,
        ShellStructure.Class => 1.6,
        _ => throw new ArgumentOutOfRangeException(nameof(classIndex), classIndex, "no such structure class."),
    };

    /// <summary>Generates case <paramref name="caseIndex"/>.</summary>
    public GeneratedPhantom Generate(int caseIndex)
    {
        var random = PhantomRandom.ForCase(options.Seed, caseIndex);
        double inPlane = random.Uniform(options.SpacingRange[0], options.SpacingRange[1]);
        double slice = random.Uniform(options.SpacingRange[0], options.SpacingRange[1]);
        var grid = new PhantomGrid([.. options.Size], [slice, inPlane, inPlane]);

        // The body: an axis-aligned ellipsoid filling most of the field of view, slightly off-centre.
        var half = grid.HalfExtent;
        var bodySemiAxes = new Point3(half.D * random.Uniform(0.78, 0.92), half.H * random.Uniform(0.78, 0.92),
                                      half.W * random.Uniform(0.78, 0.92));
        var bodyCentre = new Point3(half.D * random.Uniform(-0.04, 0.04), half.H * random.Uniform(-0.04, 0.04),
                                    half.W * random.Uniform(-0.04, 0.04));
        // Structure sizes follow the body's smallest semi-axis so they fit at any spacing.
        double scale = Math.Min(bodySemiAxes.D, Math.Min(bodySemiAxes.H, bodySemiAxes.W));

        var classIntensity = new double[4];
        for (int c = 1; c < classIntensity.Length; c++)
            classIntensity[c] = BaseIntensity(c) + random.Uniform(-CaseIntensityJitter, CaseIntensityJitter);

        var structures = PlaceStructures(random, bodyCentre, bodySemiAxes, scale);

        var image = new float[grid.VoxelCount];
        var label = new long[grid.VoxelCount];
        PaintBody(image, grid, bodyCentre, bodySemiAxes, BodyIntensity + random.Uniform(-0.05, 0.05));
        foreach (var structure in structures)
        {
            double intensity = classIntensity[structure.ClassIndex]
                               + random.Uniform(-StructureIntensityJitter, StructureIntensityJitter);
            Paint(structure, (float)intensity, image, label, grid);
        }

        SmoothAlongEachAxis(image, grid);
        new BiasField(random, options.BiasFieldStrength).Apply(image, grid);
        for (int i = 0; i < image.Length; i++)
            image[i] += (float)(options.NoiseStd * random.Gaussian());
        Normalise(image);
        return new GeneratedPhantom(image, label, grid.Size, grid.Spacing);
    }

    /// <summary>
    /// Chooses 2–3 ellipsoids, 1–2 tubes and 1–2 shells (for the enabled classes) and places each inside the body,
    /// trying to keep them apart; when no free spot is found the least-overlapping candidate is kept.
    /// </summary>
    private List<IPhantomStructure> PlaceStructures(PhantomRandom random, Point3 bodyCentre, Point3 bodySemiAxes, double scale)
    {
        var counts = new[] { 0, random.Integer(2, 3), random.Integer(1, 2), random.Integer(1, 2) };
        var placed = new List<IPhantomStructure>();
        for (int classIndex = 1; classIndex <= options.Classes; classIndex++)
        {
            for (int n = 0; n < counts[classIndex]; n++)
            {
                IPhantomStructure? best = null;
                double bestConflict = double.PositiveInfinity;
                for (int attempt = 0; attempt < PlacementAttempts && bestConflict > 0; attempt++)
                {
                    var offset = random.InBall(0.75);
                    var centre = bodyCentre + new Point3(offset.D * bodySemiAxes.D, offset.H * bodySemiAxes.H,
                                                         offset.W * bodySemiAxes.W);
                    IPhantomStructure candidate = classIndex switch
                    {
                        EllipsoidStructure.Class => EllipsoidStructure.Random(random, centre, scale),
                        TubeStructure.Class => TubeStructure.Random(random, centre, scale),
                        _ => ShellStructure.Random(random, centre, scale),
                    };
                    double conflict = Conflict(candidate, placed, bodyCentre, bodySemiAxes, 0.04 * scale);
                    if (conflict < bestConflict)
                    {
                        best = candidate;
                        bestConflict = conflict;
                    }
                }
                placed.Add(best!);
            }
        }
        return placed;
    }

    /// <summary>
    /// How badly <paramref name="candidate"/> violates the placement rules, in millimetres (≤ 0 when it does not):
    /// overlap with an already placed structure's bounding sphere, or sticking out of the body's ellipsoid
    /// (approximated by the body shrunk by the candidate's bounding radius).
    /// </summary>
    private static double Conflict(IPhantomStructure candidate, List<IPhantomStructure> placed, Point3 bodyCentre,
                                   Point3 bodySemiAxes, double margin)
    {
        double conflict = double.NegativeInfinity;
        foreach (var other in placed)
        {
            double gap = (candidate.Centre - other.Centre).Length - candidate.BoundingRadius - other.BoundingRadius - margin;
            conflict = Math.Max(conflict, -gap);
        }
        var r = candidate.BoundingRadius;
        var p = candidate.Centre - bodyCentre;
        double sd = Math.Max(bodySemiAxes.D - r, 1e-6), sh = Math.Max(bodySemiAxes.H - r, 1e-6), sw = Math.Max(bodySemiAxes.W - r, 1e-6);
        double inside = Math.Sqrt(p.D * p.D / (sd * sd) + p.H * p.H / (sh * sh) + p.W * p.W / (sw * sw));
        conflict = Math.Max(conflict, (inside - 1.0) * r);
        return conflict;
    }

    private static void PaintBody(float[] image, PhantomGrid grid, Point3 centre, Point3 semiAxes, double intensity)
    {
        for (int d = 0; d < grid.Size[0]; d++)
        for (int h = 0; h < grid.Size[1]; h++)
        for (int w = 0; w < grid.Size[2]; w++)
        {
            var p = grid.Position(d, h, w) - centre;
            double a = p.D / semiAxes.D, b = p.H / semiAxes.H, c = p.W / semiAxes.W;
            if (a * a + b * b + c * c <= 1.0)
                image[grid.Index(d, h, w)] = (float)intensity;
        }
    }

    /// <summary>Paints the structure's class and intensity, visiting only voxels inside its bounding box.</summary>
    private static void Paint(IPhantomStructure structure, float intensity, float[] image, long[] label, PhantomGrid grid)
    {
        var c = structure.Centre;
        double r = structure.BoundingRadius;
        var (d0, d1) = grid.Range(0, c.D, r);
        var (h0, h1) = grid.Range(1, c.H, r);
        var (w0, w1) = grid.Range(2, c.W, r);
        for (int d = d0; d <= d1; d++)
        for (int h = h0; h <= h1; h++)
        for (int w = w0; w <= w1; w++)
        {
            if (!structure.Contains(grid.Position(d, h, w))) continue;
            int i = grid.Index(d, h, w);
            image[i] = intensity;
            label[i] = structure.ClassIndex;
        }
    }

    /// <summary>Partial-volume blur: a [1, 2, 1] / 4 filter along each axis, edges replicated.</summary>
    private static void SmoothAlongEachAxis(float[] image, PhantomGrid grid)
    {
        var scratch = new float[image.Length];
        int[] strides = [grid.Size[1] * grid.Size[2], grid.Size[2], 1];
        for (int axis = 0; axis < 3; axis++)
        {
            int n = grid.Size[axis], stride = strides[axis];
            for (int i = 0; i < image.Length; i++)
            {
                int position = i / stride % n;
                float previous = position > 0 ? image[i - stride] : image[i];
                float next = position < n - 1 ? image[i + stride] : image[i];
                scratch[i] = 0.25f * previous + 0.5f * image[i] + 0.25f * next;
            }
            Array.Copy(scratch, image, image.Length);
        }
    }

    /// <summary>Z-score over the whole volume (accumulated in double so the result does not depend on summation luck).</summary>
    private static void Normalise(float[] image)
    {
        double sum = 0, sumSquares = 0;
        foreach (float v in image)
        {
            sum += v;
            sumSquares += (double)v * v;
        }
        double mean = sum / image.Length;
        double std = Math.Sqrt(Math.Max(sumSquares / image.Length - mean * mean, 1e-12));
        for (int i = 0; i < image.Length; i++)
            image[i] = (float)((image[i] - mean) / std);
    }
}
