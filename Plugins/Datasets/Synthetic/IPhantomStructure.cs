namespace Pipeline.Plugins.Datasets.Synthetic;

/// <summary>One labelled solid of a phantom, described in physical coordinates (millimetres).</summary>
internal interface IPhantomStructure
{
    /// <summary>Class index painted into the label map (1 = ellipsoid, 2 = tube, 3 = shell).</summary>
    int ClassIndex { get; }

    /// <summary>Centre of the bounding sphere.</summary>
    Point3 Centre { get; }

    /// <summary>Radius of a sphere around <see cref="Centre"/> that contains the whole structure.</summary>
    double BoundingRadius { get; }

    /// <summary>True when <paramref name="point"/> lies inside the structure.</summary>
    bool Contains(Point3 point);
}
