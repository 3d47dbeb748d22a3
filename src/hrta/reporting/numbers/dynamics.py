"""How each run trained, read off its loss history: the switch shock, the recovery after it,
the minimum of the training loss and the drift after it, and how far from converged the
run ended.

All on the compared loss (for a Ritz energy, its gap to E(u*)), entry e of the history being
the loss after e steps:

- *switch shock* at a switch at epoch t (the first epoch of a stage with another s): the
  loss just after over just before, L[t] / L[t - 1] (one step and the change of s apart);
- *recovery*: the epochs from t until the loss is first below L[t - 1] again; NaN: never
  within the run;
- *peak*: the highest loss from t until that recovery (or the end) over L[t - 1]: the whole
  excursion, which for a ramp builds up over its epochs where the shock sees one step;
- *minimum*: the epoch of the smallest loss and that loss; *drift*: final over minimum
  (1: the run ended at its minimum);
- *tail*: L[round(0.9 E)] / L[E], the factor by which the loss fell over the last 10% of
  the E epochs (1: converged; a measure of the budget).

A diverged run has none of these after its divergence (NaN).
"""

import numpy as np
import xarray as xr

from hrta.reporting.facts import compared_loss

RUN_DIMS = ("optimizer", "method", "width", "seed")
DRIFT = 1.05  # a method whose median final loss is this far above its minimum drifts up after it
MEASURES = {  # name -> (long_name, units)
    "shock": ("loss just after the switch over the loss just before it", "1"),
    "recovery": ("epochs from the switch until the loss is below its value before the switch (NaN: never)",
                 "epochs"),
    "peak": ("highest loss from the switch until the recovery (or the end) over the loss just before it", "1"),
    "min_epoch": ("epoch of the smallest training loss", "epochs"),
    "min_loss": ("smallest training loss of the run", "1"),
    "drift": ("final training loss over the smallest", "1"),
    "tail": ("training loss at 90% of the epochs over the final: the fall over the last 10%", "1"),
}


def switch_epochs(agg: xr.Dataset) -> xr.DataArray:
    """The switch epochs of every run, dims (RUN_DIMS, switch), NaN past a run's last switch:
    the starts of the stages whose s differs from the stage before, per run where the runs
    record them (``switch_epoch``: a plateau ends when each run decides), else the method's."""
    starts = agg["switch_epoch"] if "switch_epoch" in agg else agg["stage_start"].broadcast_like(agg["diverged"])
    starts = starts.where(starts >= 0).transpose(*RUN_DIMS, "stage").values.astype(float)
    s = agg["stage_s"].values  # (method, stage)
    per_method = [[i for i in range(1, s.shape[1]) if np.isfinite(s[k, i]) and s[k, i] != s[k, i - 1]]
                  for k in range(s.shape[0])]
    count = max([len(p) for p in per_method] + [1])
    table = np.full(starts.shape[:-1] + (count,), np.nan)
    for k, stages in enumerate(per_method):
        table[:, k, :, :, :len(stages)] = starts[:, k][..., stages]
    coords = {d: agg[d] for d in RUN_DIMS} | {"switch": np.arange(count)}
    return xr.DataArray(np.where(table > 0, table, np.nan), dims=RUN_DIMS + ("switch",), coords=coords)


def excursion(line: np.ndarray, t: int, length: int = 1) -> tuple[float, float, float]:
    """(shock, recovery, peak) of a loss history at a switch at epoch t whose s moves over
    ``length`` epochs (1: a jump; a ramp's length): the loss at t over the loss at t - 1; the
    epochs from t until the loss is below L[t - 1] again, counted from the window's last epoch
    t + length - 1 on (NaN: never); the highest loss from t until then (or the end), at least
    over the window, over L[t - 1]."""
    before = line[t - 1]
    below = np.flatnonzero(line[t + length - 1:] < before)
    recovery = below[0] + length - 1 if below.size else np.nan
    end = t + int(recovery) if below.size else len(line)
    with np.errstate(invalid="ignore", divide="ignore"):
        return line[t] / before, recovery, np.nanmax(line[t:max(end, t + length)]) / before


def dynamics(agg: xr.Dataset) -> xr.Dataset:
    """The measures of every run of an aggregate, dims RUN_DIMS (and ``switch`` for the
    switch's shock and recovery)."""
    loss = compared_loss(agg).transpose(*RUN_DIMS, "epoch")
    values = loss.values
    epochs = loss.sizes["epoch"] - 1
    div = agg["diverged_epoch"].transpose(*RUN_DIMS).values
    alive = np.where(div >= 0, div, epochs + 1)  # entries before a divergence
    idx = np.arange(epochs + 1)
    live = np.where(idx < alive[..., None], values, np.nan)
    with np.errstate(invalid="ignore", divide="ignore"):
        finite = np.isfinite(live).any(-1)
        min_epoch = np.where(finite, np.nanargmin(np.where(np.isfinite(live), live, np.inf), -1), -1)
        min_loss = np.where(finite, np.nanmin(np.where(np.isfinite(live), live, np.inf), -1), np.nan)
        final = live[..., -1]
        tail = live[..., int(round(0.9 * epochs))] / final
        drift = final / min_loss
    switches = switch_epochs(agg).values
    shock = np.full(switches.shape, np.nan)
    recovery = np.full(switches.shape, np.nan)
    peak = np.full(switches.shape, np.nan)
    for pos in np.ndindex(switches.shape):
        t = switches[pos]
        if not np.isfinite(t) or t < 1:
            continue
        shock[pos], recovery[pos], peak[pos] = excursion(live[pos[:-1]], int(t))
    coords = {d: agg[d] for d in RUN_DIMS}
    out = xr.Dataset({"shock": (RUN_DIMS + ("switch",), shock), "recovery": (RUN_DIMS + ("switch",), recovery),
                      "peak": (RUN_DIMS + ("switch",), peak),
                      "switch_epoch": (RUN_DIMS + ("switch",), switches),
                      "min_epoch": (RUN_DIMS, min_epoch.astype("int64")), "min_loss": (RUN_DIMS, min_loss),
                      "drift": (RUN_DIMS, drift), "tail": (RUN_DIMS, tail)},
                     coords=coords | {"switch": np.arange(switches.shape[-1])})
    for name, (long_name, units) in MEASURES.items():
        out[name].attrs.update(long_name=long_name, units=units)
    out["switch_epoch"].attrs.update(long_name="epoch of the switch (first epoch of the new s)", units="epochs")
    keep = [c for c in ("label", "is_baseline", "experiment", "loss_is_gap", "reference_loss") if c in agg.coords]
    return out.assign_coords({c: agg[c] for c in keep})


def drifting(dyn: xr.Dataset) -> xr.DataArray:
    """Per (optimizer, method, width): the median drift over seeds where it is above DRIFT
    (the method drifts up after its minimum), else NaN."""
    median = dyn["drift"].median("seed")
    return median.where(median > DRIFT)
