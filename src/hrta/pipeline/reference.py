"""Compare fresh results with committed reference results, by content (values at the same
coordinate labels, whatever their order), each variable with a tolerance measured for it.

    python -m hrta.pipeline.reference check   results results/reference/ci   # exit 1 on a difference
    python -m hrta.pipeline.reference measure results other/results         # largest differences, scaled
    python -m hrta.pipeline.reference update  results results/reference/ci   # after an intended change

The reference holds the CI profile's aggregates, regime map, NTK spectra and kernel-regime
comparisons, under the paths they have in results/ (FILES).

Why tolerances, and these. Float32 training on one CPU is bit-reproducible, but another CPU
runs other kernels: torch picks vectorised code by the CPU's instruction set (AVX-512, AVX2,
or none: ``ATEN_CPU_CAPABILITY=default`` forces the plain one, as on an older or another
CPU), numpy and scipy's LAPACK pick theirs by CPU model. Sums are then rounded in another
order; training amplifies the last-bit differences (Adam at lr 1e-2 most), and near-zero
eigenvalues differ at the eigensolver's rounding level, by factors relative to themselves.
Each variable is therefore compared on the scale that gives its difference a meaning:

=============================================  ===============================  =========  ============
variables                                      compared as                      tolerance  largest seen
=============================================  ===============================  =========  ============
loss, test_error, test_gap, measured_loss      relative (a Ritz loss as its     1e-3       1.24e-4
(histories, every epoch)                       gap to the exact energy, as the
                                               claims compare it)
final_loss, final_test_error, relu_/control_   relative (gaps as above)         2e-4       2.16e-5
final_*, measured_final_loss, *_median_ratio
predicted_loss, predicted_final_loss           relative                         5e-6       4.88e-7
*_estimate, *_ci_low, *_ci_high (regime map)   absolute, log-ratio units        1e-4       1.21e-5
*_p_value, *_p_adjusted (regime map)           absolute                         1e-6       0
empirical_lambda_min, _max, _beyond_null      absolute / lambda_max at the     2e-6       2.31e-7
(finite float32 networks at initialisation)    same point
lambda_min, lambda_max, resolution,            absolute / lambda_max at the     1e-12      3.04e-15
quadrature_error, null_space_min,              same point
rounding_level (float64 closed forms)
relu_tail (regime map: ReLU's fall)            relative                         1e-3       (as loss)
lr, stable_lr, reference_loss, loss_reference  relative                         1e-12      4.94e-16
s, stage_s, control_s, *_n_tested, *_n_lower,  exactly                          0          0
*_n_seeds, *_left_out; every integer,
boolean and string (diverged,
diverged_epoch, verdicts, labels)
=============================================  ===============================  =========  ============

"Largest seen": the CI profile run natively (AVX-512) against runs under
``ATEN_CPU_CAPABILITY=avx2``, ``=default``, and ``=default`` with ``MKL_ENABLE_INSTRUCTIONS=SSE4_2
OPENBLAS_CORETYPE=Nehalem`` (numpy's and scipy's LAPACK on an old CPU's kernels too), by
``measure`` (docs/reproducibility.md has the command and its output). Each tolerance is about
ten times the largest difference seen (at least eight), rounded up: a CPU whose rounding
differs as much passes, while a change of method, seed, schedule, learning rate or data moves
these numbers by 1e-2 or more. The float64 quantities from the closed-form spectra (the
eigenvalues, GD's learning rate from 2n / lambda_max) are held at 1e-12, above their
eigensolver's rounding level (eps x n x lambda_max, about 4e-14 here) rather than ten times
the 3e-15 seen. The worst history is Adam at lr 1e-2 in the regime map
(1.2e-4 at epoch 67, 1.2e-5 at the end): the claims use final values, which are compared
five times tighter. Eigenvalues are compared relative to lambda_max because lambda_min
near zero is rounding (a factor of 30 between CPUs at 1e-14 absolute), as in the verdict of
Theorem 1, which treats values below eps x n x lambda_max as undecidable. Divergence flags
and epochs, verdicts and counts are compared exactly: a different one is a different result.
"""

import argparse
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import xarray as xr

from hrta.pipeline.files import read_netcdf

FILES = ("aggregate/*.nc", "regime/*.nc", "theory/*_spectra.nc", "theory/linearised.nc", "theory/kernel_limit.nc")


@dataclass(frozen=True)
class Rule:
    """How a variable is compared: 'exact', 'relative' (to the reference's magnitude),
    'absolute', or 'eigen' (absolute, relative to lambda_max at the same point)."""

    kind: str
    tolerance: float = 0.0


EXACT = Rule("exact")
RULES = (  # (variable name pattern, rule); first match wins; non-float variables are exact
    (r"loss|test_error|test_gap|measured_loss", Rule("relative", 1e-3)),
    (r"(relu_|control_|path_)?final_(loss|test_error)|measured_final_loss|.*_median_ratio", Rule("relative", 2e-4)),
    (r".*_(mean_ratio|mean_low|mean_high)", Rule("relative", 2e-4)),  # geometric means of the same ratios
    (r"path_(shock|peak)", Rule("relative", 2e-3)),  # a loss over a loss, each within 1e-3
    # epochs: a loss near a threshold (a plateau's criterion, the recovery's) may cross it an epoch or two apart
    (r"path_(recovery|switch_epoch)", Rule("absolute", 2.0)),
    (r"predicted_loss|predicted_final_loss", Rule("relative", 5e-6)),
    (r".*_(estimate|ci_low|ci_high)", Rule("absolute", 1e-4)),
    (r".*_(p_value|p_adjusted)", Rule("absolute", 1e-6)),
    (r"empirical_lambda_(min|max|beyond_null)", Rule("eigen", 2e-6)),
    (r"lambda_(min|max)|resolution|quadrature_error|null_space_min|rounding_level", Rule("eigen", 1e-12)),
    (r"relu_tail", Rule("relative", 1e-3)),
    (r".*_(n_lower|n_seeds|n_tested|left_out)", EXACT),
    (r"lr|stable_lr|reference_loss|loss_reference", Rule("relative", 1e-12)),
    (r"s|stage_s|control_s|.*_n_tested", EXACT),
)
# compared as gaps when loss_is_gap
GAP = ("loss", "final_loss", "relu_final_loss", "control_final_loss", "path_final_loss")


def rule(name: str, dtype) -> Rule | None:
    """The rule of a variable: by name for floats, exact otherwise; None for a float
    variable without one (a new variable needs its tolerance)."""
    if np.dtype(dtype).kind not in "fc":
        return EXACT
    return next((r for pattern, r in RULES if re.fullmatch(pattern, name)), None)


def _compared(ds: xr.Dataset, name: str) -> xr.DataArray:
    """The variable as the claims use it: a Ritz energy as its gap to the exact solution's."""
    var = ds[name]
    if name not in GAP or "loss_is_gap" not in ds.coords or not bool(ds["loss_is_gap"]):
        return var
    if "loss_reference" in ds:
        ref = ds["loss_reference"]
        return var - (ref if "epoch" in var.dims else ref.isel(epoch=-1, drop=True))
    return var - float(ds["reference_loss"])


def _scale(ds: xr.Dataset, name: str) -> xr.DataArray:
    return ds["empirical_lambda_max" if name.startswith("empirical_") else "lambda_max"]


def scaled(fresh: xr.Dataset, ref: xr.Dataset, name: str, how: Rule) -> xr.DataArray:
    """|fresh - ref| on the rule's scale (0 where equal, inf where only one is NaN, or for a
    difference at all under 'exact')."""
    a, b = _compared(fresh, name), _compared(ref, name)
    if how.kind == "exact" or a.dtype.kind not in "fc":
        same = (a == b) | (a.isnull() & b.isnull()) if a.dtype.kind in "fc" else a == b
        return xr.where(same, 0.0, np.inf)
    diff = abs(a - b)
    if how.kind == "relative":
        diff = diff / np.maximum(abs(b), np.finfo(float).tiny)
    elif how.kind == "eigen":
        diff = diff / abs(_scale(ref, name))
    both_nan = a.isnull() & b.isnull()
    one_nan = a.isnull() ^ b.isnull()
    return xr.where(both_nan, 0.0, xr.where(one_nan, np.inf, diff))


def differences(fresh: xr.Dataset, ref: xr.Dataset) -> list[str]:
    """Readable lines, one per variable out of its tolerance: how many values, the worst
    (scaled) difference, where, and the two values."""
    out = []
    for dim in ref.dims:
        if dim in ref.coords and (dim not in fresh.dims or set(fresh[dim].values) != set(ref[dim].values)):
            out.append(f"coordinate {dim}: fresh {_coord(fresh, dim)} vs reference {_coord(ref, dim)}")
    if out:
        return out
    fresh = fresh.sel({dim: ref[dim].values for dim in ref.dims if dim in ref.coords})  # by label, not order
    for name in sorted(n for n in map(str, ref.variables) if n not in ref.dims):
        if name not in fresh.variables:
            out.append(f"{name}: missing from the fresh results")
            continue
        how = rule(name, ref[name].dtype)
        if how is None:
            out.append(f"{name}: no tolerance rule (hrta.pipeline.reference.RULES)")
            continue
        d = scaled(fresh, ref, name, how)
        bad = d > how.tolerance
        if not bool(bad.any()):
            continue
        where = {k: d[k].values[int(i)] for k, i in d.fillna(np.inf).argmax(...).items()}
        a, b = _compared(fresh, name).sel(where).values, _compared(ref, name).sel(where).values
        out.append(f"{name}: {int(bad.sum())} of {bad.size} values differ beyond {how.kind} {how.tolerance:g};"
                   f" worst {float(d.max()):.3e} at {_where(where)}: fresh {a}, reference {b}")
    return out


def _where(loc: dict) -> str:
    return "{" + ", ".join(f"{k}: {v.item() if hasattr(v, 'item') else v}" for k, v in loc.items()) + "}" if loc \
        else "the scalar"


def _coord(ds, dim):
    return list(ds[dim].values[:6]) + (["..."] if ds.sizes.get(dim, 0) > 6 else []) if dim in ds.dims else "absent"


def reference_files(ref_dir: Path) -> list[Path]:
    """The reference's files, relative to it."""
    return sorted({p.relative_to(ref_dir) for pattern in FILES for p in Path(ref_dir).glob(pattern)})


def check(fresh_dir: Path, ref_dir: Path) -> list[str]:
    """Compare every reference file with the fresh file at the same path under ``fresh_dir``
    (results/)."""
    rels = reference_files(Path(ref_dir))
    if not rels:
        return [f"no reference files in {ref_dir}"]
    report = []
    for rel in rels:
        fresh_path = Path(fresh_dir) / rel
        if not fresh_path.exists():
            report.append(f"{rel}: no fresh result at {fresh_path}")
            continue
        report += [f"{rel}: {line}" for line in differences(read_netcdf(fresh_path), read_netcdf(Path(ref_dir) / rel))]
    return report


def measure(fresh_dir: Path, ref_dir: Path) -> dict:
    """{variable: (largest scaled difference, rule, file, where)} over the reference's files."""
    worst = {}
    for rel in reference_files(Path(ref_dir)):
        if not (Path(fresh_dir) / rel).exists():
            continue
        fresh, ref = read_netcdf(Path(fresh_dir) / rel), read_netcdf(Path(ref_dir) / rel)
        fresh = fresh.sel({dim: ref[dim].values for dim in ref.dims if dim in ref.coords})
        for name in sorted(n for n in map(str, ref.variables) if n not in ref.dims):
            how = rule(name, ref[name].dtype)
            if how is None or name not in fresh.variables:
                continue
            d = scaled(fresh, ref, name, how)
            value = float(d.max()) if d.size else 0.0
            if value >= worst.get(name, (-1.0,))[0]:
                loc = {k: d[k].values[int(i)] for k, i in d.fillna(np.inf).argmax(...).items()} if d.size else {}
                worst[name] = (value, how, str(rel), _where(loc))
    return worst


def update(fresh_dir: Path, ref_dir: Path) -> None:
    ref_dir = Path(ref_dir)
    for old in reference_files(ref_dir):
        (ref_dir / old).unlink()
    for rel in reference_files(Path(fresh_dir)):
        (ref_dir / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(Path(fresh_dir) / rel, ref_dir / rel)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=["check", "measure", "update"])
    p.add_argument("fresh", type=Path, help="fresh results (results)")
    p.add_argument("reference", type=Path, help="reference results (results/reference/ci), or other results")
    a = p.parse_args(argv)
    if a.action == "update":
        update(a.fresh, a.reference)
        print(f"reference updated in {a.reference}")
        return 0
    if a.action == "measure":
        for name, (value, how, rel, where) in sorted(measure(a.fresh, a.reference).items()):
            print(f"{name:30s} {how.kind:8s} {value:.3e} (tolerance {how.tolerance:g})  {rel} {where}")
        return 0
    report = check(a.fresh, a.reference)
    print("\n".join(report) if report else f"results match {a.reference} (each variable within its tolerance:"
                                           " hrta.pipeline.reference)")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
