"""Toward the kernel limit in the claims report: the section and its sentences on the ratios
of hrta.reporting.numbers.kernel_limit."""

import numpy as np
import xarray as xr

from hrta.reporting.numbers.kernel_limit import ratios


def section(widths: xr.Dataset) -> list[str]:
    """## Toward the kernel limit, from the width series (hrta.theory.linearised.width_series)."""
    return ["## Toward the kernel limit", "",
            f"The paper's statements are about infinite width. Under {widths.attrs['optimizer']} on "
            f"{widths.attrs['experiment']}, the ratio ReLU/HRTA of the final training loss (median over "
            f"{widths.sizes['seed']} seeds) as trained, against the same ratio from the network linearised at "
            f"its initialisation ({widths.attrs['kernel']} kernel, same epochs, lr and switches):", "",
            *sentences(widths), ""]


def sentences(ds: xr.Dataset) -> list[str]:
    """Per schedule: measured and kernel ratio at the smallest and the largest width, and
    whether the gap between them (in log) shrinks."""
    rat = ratios(ds).median("seed")
    small, large = int(rat["width"].min()), int(rat["width"].max())
    out = []
    for method in rat["method"].values:
        r = rat.sel({"method": method})
        gap = np.abs(np.log(r["measured"] / r["kernel"]))
        trend = "closer to" if float(gap.sel(width=large)) < float(gap.sel(width=small)) else "not closer to"
        out.append(
            f"- {str(r['label'].values)} under GD: ReLU/HRTA final loss {float(r['measured'].sel(width=small)):.3g} "
            f"trained against {float(r['kernel'].sel(width=small)):.3g} predicted at m = {small}, "
            f"{float(r['measured'].sel(width=large)):.3g} against {float(r['kernel'].sel(width=large)):.3g} at "
            f"m = {large}: the trained advantage is {trend} the kernel's at the largest width.")
    return out
