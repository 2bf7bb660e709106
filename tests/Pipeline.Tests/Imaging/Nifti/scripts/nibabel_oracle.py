"""Independent NIfTI oracle for the C# tests, run with Debian's /usr/bin/python3 (nibabel 5, numpy).

  nibabel_oracle.py generate CASES.json OUT_DIR   write one image per case with nibabel's header writer
  nibabel_oracle.py describe FILES.json OUT_DIR [--stats]   load each file with nib.load and report what nibabel
                                                           sees (--stats: also min/max/mean/sum of get_fdata())

generate: each case names a datatype, byte order, NIfTI version, shape, transform codes, scaling, storage (single
file or .hdr/.img pair, gzip or not), extensions and extra bytes before the data; values and affines come from a
seeded random generator. The header is nibabel's (set_qform/set_sform/extensions/write_to); the voxel bytes are
numpy's, in Fortran (x-fastest) order and the case's byte order.

describe: for each file, a JSON record (shape, affine = img.affine, codes, zooms, axcodes, scaling, extensions) and
the voxels np.asanyarray(img.dataobj) in C order of nibabel's [I, J, K, ...] shape, little-endian, in the type the
C# reader produces (uint16 -> int32, uint32/uint64 -> int64), written to OUT_DIR/<index>.bin.
"""
import gzip
import json
import sys

import numpy as np
import nibabel as nib
from nibabel.nifti1 import Nifti1Extension


def random_rotation(rng):
    q = rng.normal(size=4)
    q /= np.linalg.norm(q)
    w, x, y, z = q
    return np.array([
        [1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
        [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
        [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)],
    ])


def random_affine(rng, kind):
    zooms = rng.uniform(0.5, 4.0, size=3)
    if kind == "axis":
        # a permutation with flips, like real scanner orientations (LSA, LPS, ...)
        rotation = np.zeros((3, 3))
        rotation[rng.permutation(3), np.arange(3)] = rng.choice([-1.0, 1.0], size=3)
    else:
        rotation = random_rotation(rng)
        if rng.uniform() < 0.5:
            rotation[:, 2] *= -1  # negative determinant: qfac = -1
    affine = np.eye(4)
    affine[:3, :3] = rotation * zooms
    affine[:3, 3] = rng.uniform(-120, 120, size=3)
    return affine


def random_values(rng, dtype, shape):
    count = int(np.prod(shape))
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        high = min(int(info.max), 2 ** 63 - 1)
        values = rng.integers(int(info.min), high, size=count, endpoint=True, dtype=np.int64 if dtype.kind == "i" or dtype.itemsize < 8 else np.uint64)
        values = values.astype(dtype)
        values[0], values[1] = info.min, high
    else:
        values = (rng.normal(size=count) * 1000).astype(dtype)
        specials = [np.nan, np.inf, -np.inf, np.finfo(dtype).max, np.finfo(dtype).tiny / 4, -0.0]
        values[: min(count, len(specials))] = specials[: min(count, len(specials))]
    return values.reshape(shape, order="F")


def generate(cases_path, out_dir):
    with open(cases_path) as f:
        cases = json.load(f)
    for case in cases:
        rng = np.random.default_rng(case["seed"])
        version, pair = case["version"], case["pair"]
        header_class = {(1, False): nib.Nifti1Header, (1, True): nib.nifti1.Nifti1PairHeader,
                        (2, False): nib.Nifti2Header, (2, True): nib.nifti2.Nifti2PairHeader}[(version, pair)]
        endian = case["endian"]
        dtype = np.dtype(case["dtype"]).newbyteorder(endian)
        shape = tuple(case["shape"])
        hdr = header_class(endianness=endian)
        hdr.set_data_dtype(dtype)
        hdr.set_data_shape(shape)
        hdr.set_zooms(tuple(rng.uniform(0.5, 3.0, size=len(shape))))
        qform = random_affine(rng, case["affine_kind"])
        sform = qform.copy()
        if case["sform_differs"]:
            sform[:3, :3] = sform[:3, :3] @ np.array([[1, 0.2, 0], [0, 1, 0.1], [0, 0, 1]])  # sheared, unlike any qform
            sform[:3, 3] += 7
        hdr.set_qform(qform, code=case["qform_code"])
        hdr.set_sform(sform, code=case["sform_code"])
        for field, value in case["raw"].items():
            if field.startswith("pixdim"):
                hdr["pixdim"][int(field[6:])] = float(value)
            elif field.startswith("srow_"):
                hdr[field[:6]][int(field[6:])] = float(value)
            else:
                hdr[field] = float(value)
        if case["slope"] is not None:
            hdr["scl_slope"] = float(case["slope"])
            hdr["scl_inter"] = float(case["inter"])
        if case["extensions"]:
            hdr.extensions.append(Nifti1Extension("comment", ("case " + case["name"]).encode()))
            hdr.extensions.append(Nifti1Extension(40, bytes(range(20))))
        values = random_values(rng, np.dtype(case["dtype"]), shape)
        data = np.asarray(values, dtype=dtype).tobytes(order="F")
        opener = gzip.open if case["gzip"] else open
        suffix = ".gz" if case["gzip"] else ""
        base = f"{out_dir}/{case['name']}"
        if pair:
            hdr.set_data_offset(case["extra_offset"])
            with opener(base + ".hdr" + suffix, "wb") as f:
                hdr.write_to(f)
            with opener(base + ".img" + suffix, "wb") as f:
                f.write(b"\0" * case["extra_offset"])
                f.write(data)
        else:
            offset = int(hdr.single_vox_offset + hdr.extensions.get_sizeondisk() + case["extra_offset"])
            hdr.set_data_offset(offset)
            with opener(base + ".nii" + suffix, "wb") as f:
                hdr.write_to(f)
                f.write(b"\0" * (offset - f.tell()))
                f.write(data)


def as_reader_type(array):
    if array.dtype.kind == "u" and array.dtype.itemsize >= 2:
        wider = np.int32 if array.dtype.itemsize == 2 else np.int64
        return array.astype(wider)
    return array.astype(array.dtype.newbyteorder("<"), copy=False)


def number(value):
    value = float(value)
    return value if np.isfinite(value) else str(value)


def stats(img):
    values = img.get_fdata()
    return {"min": number(values.min()), "max": number(values.max()), "mean": number(values.mean()), "sum": number(values.sum())}


def describe(files_path, out_dir, with_stats=False):
    with open(files_path) as f:
        files = json.load(f)
    records = []
    for index, path in enumerate(files):
        img = nib.load(path)
        if not isinstance(img.header, nib.Nifti1Header):
            # CIFTI-2 (a NIfTI-2 file with a CIFTI extension): look at it as the NIfTI-2 image it is
            img = nib.Nifti2Image.from_filename(path)
        hdr = img.header
        data = as_reader_type(np.asanyarray(img.dataobj))
        np.ascontiguousarray(data).tofile(f"{out_dir}/{index}.bin")
        slope, inter = img.dataobj.slope, img.dataobj.inter
        records.append({
            "path": path,
            "version": 2 if isinstance(hdr, nib.Nifti2Header) else 1,
            "shape": list(img.shape),
            "dtype": data.dtype.name,
            "stored_dtype": hdr.get_data_dtype().name,
            "data_file": f"{out_dir}/{index}.bin",
            "affine": [number(v) for v in img.affine.ravel()],
            "qform_code": int(hdr["qform_code"]),
            "sform_code": int(hdr["sform_code"]),
            "qform": [number(v) for v in hdr.get_qform().ravel()],
            "sform": [number(v) for v in hdr.get_sform().ravel()],
            "zooms": [float(z) for z in hdr.get_zooms()],
            "axcodes": "".join(c if c is not None else "?" for c in nib.aff2axcodes(img.affine)),
            "slope": number(slope),
            "inter": number(inter),
            # content as stored, without the zero padding nibabel strips on reading; None for extensions nibabel
            # parses into objects (e.g. CIFTI XML), whose re-serialisation differs from the stored bytes
            "extensions": [[int(e.get_code()), e._mangle(e._content).rstrip(b"\0").hex() if type(e) is Nifti1Extension else None]
                           for e in hdr.extensions],
            "descrip": hdr["descrip"].item().decode("latin-1"),
            "intent_code": int(hdr["intent_code"]),
            "xyzt_units": int(hdr["xyzt_units"]),
            "stats": stats(img) if with_stats else None,
        })
    print(json.dumps(records))


if __name__ == "__main__":
    command = sys.argv[1]
    if command == "generate":
        generate(sys.argv[2], sys.argv[3])
    elif command == "describe":
        describe(sys.argv[2], sys.argv[3], with_stats=len(sys.argv) > 4 and sys.argv[4] == "--stats")
    else:
        sys.exit(f"unknown command {command}")
