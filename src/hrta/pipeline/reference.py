"""Compare fresh aggregated results with committed reference results, by content (values
at the same coordinate labels, whatever their order).

    python -m hrta.pipeline.reference check  results/aggregate results/reference/ci   # exit 1 on difference
    python -m hrta.pipeline.reference update results/aggregate results/reference/ci   # after an intended change

Tolerance: float32 training on CPU is bit-reproducible on one machine, but vectorised
reductions (MKL/oneDNN) can pick other code paths on another CPU model and change the
last bits; a few hundred Adam steps amplify such differences to ~1e-6 relative. RTOL =
1e-4 with ATOL = 1e-7 absorbs that while any change of method, seed, schedule or data
shows up as differences of order 1e-2 or more.
"""

import argparse
import shutil
import sys
from pathlib import Path

import numpy as np
import xarray as xr

RTOL, ATOL = 1e-4, 1e-7
COMPARED = ("loss", "test_error", "final_loss", "final_test_error", "diverged", "diverged_epoch")


def differences(fresh: xr.Dataset, ref: xr.Dataset, rtol: float = RTOL, atol: float = ATOL) -> list[str]:
    """Readable lines, one per differing variable: coordinates, max abs / rel difference."""
    out = []
    for dim in ref.dims:
        if dim not in fresh.dims or set(fresh[dim].values) != set(ref[dim].values):
            out.append(f"coordinate {dim}: fresh {_coord(fresh, dim)} vs reference {_coord(ref, dim)}")
    if out:
        return out
    fresh = fresh.sel({dim: ref[dim].values for dim in ref.dims if dim in ref.coords})  # by label, not order
    for name in COMPARED:
        if name not in ref:
            continue
        if name not in fresh:
            out.append(f"{name}: missing from the fresh results")
            continue
        a, b = fresh[name].astype(float), ref[name].astype(float)
        close = np.isclose(a.values, b.values, rtol=rtol, atol=atol, equal_nan=True)
        if close.all():
            continue
        diff = np.abs(a - b).where(~xr.DataArray(close, dims=a.dims, coords=a.coords))
        where = diff.fillna(-1).argmax(...)  # position of the largest difference
        loc = {d: diff[d].values[i.item()] for d, i in where.items()}
        rel = diff / np.maximum(np.abs(b), atol)
        out.append(f"{name}: {int((~close).sum())} of {close.size} values differ; "
                   f"max abs diff {float(diff.max()):.3e}, max rel diff {float(rel.max()):.3e}; "
                   f"worst at {loc}: fresh {float(a.sel(loc)):.6e}, reference {float(b.sel(loc)):.6e}")
    return out


def _coord(ds, dim):
    return list(ds[dim].values[:6]) + (["..."] if ds.sizes.get(dim, 0) > 6 else []) if dim in ds.dims else "absent"


def check(fresh_dir: Path, ref_dir: Path) -> list[str]:
    """Compare every reference file with the fresh file of the same name."""
    refs = sorted(Path(ref_dir).glob("*.nc"))
    if not refs:
        return [f"no reference files in {ref_dir}"]
    report = []
    for ref_path in refs:
        fresh_path = Path(fresh_dir) / ref_path.name
        if not fresh_path.exists():
            report.append(f"{ref_path.name}: no fresh result at {fresh_path}")
            continue
        with xr.open_dataset(fresh_path) as fresh, xr.open_dataset(ref_path) as ref:
            report += [f"{ref_path.name}: {line}" for line in differences(fresh.load(), ref.load())]
    return report


def update(fresh_dir: Path, ref_dir: Path) -> None:
    ref_dir = Path(ref_dir)
    ref_dir.mkdir(parents=True, exist_ok=True)
    for old in ref_dir.glob("*.nc"):
        old.unlink()
    for path in sorted(Path(fresh_dir).glob("*.nc")):
        shutil.copy(path, ref_dir / path.name)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=["check", "update"])
    p.add_argument("fresh", type=Path, help="folder of fresh aggregates (results/aggregate)")
    p.add_argument("reference", type=Path, help="folder of reference aggregates")
    a = p.parse_args(argv)
    if a.action == "update":
        update(a.fresh, a.reference)
        print(f"reference updated in {a.reference}")
        return 0
    report = check(a.fresh, a.reference)
    print("\n".join(report) if report else f"results match {a.reference} (rtol={RTOL}, atol={ATOL})")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
