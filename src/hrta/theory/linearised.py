"""Gradient-descent training measured against the prediction of the network linearised at
its initialisation (the kernel regime; switches of s included)."""

import copy

import numpy as np
import torch
import xarray as xr

from hrta.model.network import TwoLayerNet, initial_network
from hrta.model.optimizers import learning_rates
from hrta.model.run import Run
from hrta.theory import ntk

NTK_KINDS = ("analytic", "empirical")  # theory.linearised.ntk


def network_outputs(net: TwoLayerNet, x, s: float) -> np.ndarray:
    """phi_s(x) of the net at its current parameters, in float64 (the net is not changed)."""
    net = copy.deepcopy(net).double()
    net.set_s(s)
    with torch.no_grad():
        return net(torch.as_tensor(np.asarray(x, dtype=np.float64))).numpy()


def stepwise(runs: dict) -> dict:
    """The runs whose schedules hold each s for fixed epochs: the kernel prediction's stages
    (a ramp's kernel moves every step, a plateau's switch depends on the training)."""
    return {key: run for key, run in runs.items() if run.schedule.is_stepwise}


def linearised(dataset: xr.Dataset, runs: dict, histories: dict, kind: str) -> xr.Dataset:
    """Measured training loss against the linearised (kernel-regime) prediction.

    ``runs`` and ``histories`` map (method, seed) to a run and its training history (all of
    one width and optimizer; the histories' method facts, label and baseline, are carried
    over). The prediction starts from the run's own initial network: phi_s(theta_0) at each
    stage's s; its NTK is the analytic infinite-width one (``kind`` 'analytic') or the
    network's at initialisation ('empirical'). Runs whose schedule ramps or switches on
    plateau are left out (``stepwise``).
    """
    if kind not in NTK_KINDS:
        raise ValueError(f"NTK kind must be one of {NTK_KINDS}, got {kind!r}")
    runs = stepwise(runs)
    x, y = dataset["x_train"].values, dataset["y_train"].values
    methods = list(dict.fromkeys(m for m, _ in runs))
    seeds = sorted({s for _, s in runs})
    epochs = max(run.epochs for run in runs.values())
    predicted = np.full((len(methods), len(seeds), epochs + 1), np.nan)
    measured = np.full_like(predicted, np.nan)
    limits = {}
    analytic = ntk.analytic_basis(x, next(iter(runs.values())).numerics.bias)
    for (method, seed), run in runs.items():
        schedule = run.schedule
        net = initial_network(x.shape[1], run.width, run.seed, run.numerics)
        basis = analytic if kind == "analytic" else ntk.empirical_basis(net, x)
        init = {st.s: network_outputs(net, x, st.s) for st in schedule.stages}
        lrs = learning_rates(run.optimizer, schedule.total)
        i, j = methods.index(method), seeds.index(seed)
        with np.errstate(over="ignore", invalid="ignore"):  # an unstable lr overflows to inf
            loss = ntk.kernel_prediction(basis, init, y, schedule, lrs)
        predicted[i, j, :len(loss)] = loss
        hist = histories[(method, seed)]["loss"].values[: epochs + 1]  # aggregates are NaN-padded
        measured[i, j, :len(hist)] = hist
        for st in schedule.stages:
            lam_max = ntk.extreme_eigenvalues(basis.ntk(st.s))[1]
            limits.setdefault(st.s, []).append(2 * len(y) / lam_max)
    first = next(iter(runs.values()))
    limits = dict(sorted(limits.items()))  # a coordinate in increasing order, as CF asks
    ds = xr.Dataset(
        {"measured_loss": (("method", "seed", "epoch"), measured),
         "predicted_loss": (("method", "seed", "epoch"), predicted),
         "stable_lr": ("s_stage", [min(v) for v in limits.values()])},
        coords={"method": methods, "seed": seeds, "epoch": np.arange(epochs + 1),
                "s_stage": list(limits),
                **{fact: ("method", [histories[m, seeds[0]][fact].values.item() for m in methods])
                   for fact in ("label", "is_baseline")}},
        attrs={"experiment": first.experiment, "width": int(first.width), "optimizer": first.optimizer.name,
               "lr": float(first.optimizer.lr), "kernel": kind},
    )
    ds["measured_loss"].attrs["long_name"] = "training loss of the trained network"
    ds["predicted_loss"].attrs["long_name"] = "training loss of the network linearised at initialisation"
    ds["stable_lr"].attrs["description"] = ("2n / lambda_max(K_s): gradient descent on the kernel "
                                            "model is stable for learning rates below it (min over seeds)")
    return ds


def width_series(dataset: xr.Dataset, runs: list[Run], histories: dict, kind: str) -> xr.Dataset:
    """Final training loss measured and predicted by the linearised network at every width:
    ``runs`` of one optimizer (all widths, methods, seeds), ``histories`` keyed by
    (method, width, seed). Dims (width, method, seed); the method facts as coordinates."""
    parts = []
    for width in sorted({r.width for r in runs}):
        mine = stepwise({(r.method, r.seed): r for r in runs if r.width == width})
        hist = {(m, seed): histories[m, width, seed] for m, seed in mine}
        ds = linearised(dataset, mine, hist, kind)
        parts.append(xr.Dataset({"measured_final_loss": ds["measured_loss"].isel(epoch=-1, drop=True),
                                 "predicted_final_loss": ds["predicted_loss"].isel(epoch=-1, drop=True)})
                     .expand_dims(width=[width]))
    out = xr.concat(parts, "width")
    out["measured_final_loss"].attrs["long_name"] = "final training loss of the trained network"
    out["predicted_final_loss"].attrs["long_name"] = "final training loss of the network linearised at initialisation"
    out.attrs.update(experiment=runs[0].experiment, optimizer=runs[0].optimizer.name, kernel=kind)
    return out
