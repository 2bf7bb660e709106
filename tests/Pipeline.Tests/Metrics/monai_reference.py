"""Reference numbers for SegmentationMetricsTests.MatchesMonaiPipelineOnFixedShapes.

Builds the same two label maps as the test and scores them the way MONAI does with use_subvoxels=False
(monai.metrics.utils.get_mask_edges / get_surface_distance, compute_hausdorff_distance(percentile=95),
compute_surface_dice): edges = mask XOR scipy binary_erosion(mask) (default face-connected structure, border 0),
distances from scipy distance_transform_edt(~edges, sampling=spacing), HD95 = max of the two directed
np.percentile(..., 95), NSD = share of both edge sets within tolerance (<=).
Run: /usr/bin/python3 tests/Pipeline.Tests/Metrics/monai_reference.py   (needs numpy and scipy)
"""
import numpy as np
from scipy.ndimage import binary_erosion, distance_transform_edt

shape = (20, 24, 16)
spacing = (0.9, 1.3, 2.1)
i, j, k = np.meshgrid(*[np.arange(n) for n in shape], indexing="ij")


def ellipsoid(centre, axes):
    # (di/a)² + (dj/b)² + (dk/c)² <= 1 in integers, so both sides agree exactly.
    (ci, cj, ck), (a, b, c) = centre, axes
    return ((i - ci) ** 2 * b * b * c * c + (j - cj) ** 2 * a * a * c * c + (k - ck) ** 2 * a * a * b * b
            <= a * a * b * b * c * c)


def box(low, high):
    return ((i >= low[0]) & (i < high[0]) & (j >= low[1]) & (j < high[1]) & (k >= low[2]) & (k < high[2]))


reference = np.zeros(shape, np.int64)
reference[ellipsoid((10, 12, 8), (6, 8, 5))] = 1
reference[box((1, 2, 0), (6, 20, 5))] = 2
prediction = np.zeros(shape, np.int64)
prediction[ellipsoid((11, 10, 9), (7, 7, 5))] = 1
prediction[box((2, 1, 0), (7, 18, 6))] = 2
prediction[box((16, 19, 12), (19, 23, 16))] = 2  # a stray island away from the reference


def edges(mask):
    return binary_erosion(mask) ^ mask


for label in (1, 2):
    p, r = prediction == label, reference == label
    dice = 2 * (p & r).sum() / (p.sum() + r.sum())
    ep, er = edges(p), edges(r)
    p_to_r = distance_transform_edt(~er, sampling=spacing)[ep]
    r_to_p = distance_transform_edt(~ep, sampling=spacing)[er]
    hd95 = max(np.percentile(p_to_r, 95), np.percentile(r_to_p, 95))
    nsd = [((p_to_r <= t).sum() + (r_to_p <= t).sum()) / (len(p_to_r) + len(r_to_p)) for t in (1.5, 3.0)]
    print(label, repr(float(dice)), repr(float(hd95)), repr(float(nsd[0])), repr(float(nsd[1])), int(er.sum()), int(ep.sum()))
