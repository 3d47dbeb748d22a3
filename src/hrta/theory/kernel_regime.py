"""The kernel regime: gradient-descent training measured against the prediction of the
network linearised at its initialisation (switches of s included)."""

import copy

import numpy as np
import torch
import xarray as xr

from hrta.model.network import TwoLayerNet, initial_network
from hrta.model.optimizers import learning_rates
from hrta.model.schedule import Schedule
from hrta.theory import ntk

KERNELS = ("analytic", "empirical")  # theory.kernel_regime.kernel


def network_outputs(net: TwoLayerNet, x, s: float) -> np.ndarray:
    """phi_s(x) of the net at its current parameters, in float64 (the net is not changed)."""
    net = copy.deepcopy(net).double()
    net.set_s(s)
    with torch.no_grad():
        return net(torch.as_tensor(np.asarray(x, dtype=np.float64))).numpy()


def kernel_regime(dataset: xr.Dataset, specs: dict, histories: dict, kernel: str) -> xr.Dataset:
    """Measured training loss against the linearised (kernel-regime) prediction.

    ``specs`` and ``histories`` map (method, seed) to a run spec and its training history
    (all of one width and optimizer; the histories' method facts, label and baseline, are
    carried over). The prediction starts from the run's own initial network:
    phi_s(theta_0) at each stage's s; its kernel is the analytic infinite-width
    NTK (kernel 'analytic') or the network's NTK at initialisation ('empirical').
    """
    if kernel not in KERNELS:
        raise ValueError(f"kernel must be one of {KERNELS}, got {kernel!r}")
    x, y = dataset["x_train"].values, dataset["y_train"].values
    methods = list(dict.fromkeys(m for m, _ in specs))
    seeds = sorted({s for _, s in specs})
    epochs = max(Schedule(spec["schedule"]).total for spec in specs.values())
    predicted = np.full((len(methods), len(seeds), epochs + 1), np.nan)
    measured = np.full_like(predicted, np.nan)
    limits = {}
    analytic = ntk.analytic_basis(x, next(iter(specs.values()))["training"]["bias"])
    for (method, seed), spec in specs.items():
        schedule = Schedule(spec["schedule"])
        net = initial_network(x.shape[1], spec["width"], spec["seed"], spec["training"])
        basis = analytic if kernel == "analytic" else ntk.empirical_basis(net, x)
        init = {st.s: network_outputs(net, x, st.s) for st in schedule.stages}
        lrs = learning_rates(spec["optimizer"], schedule.total)
        i, j = methods.index(method), seeds.index(seed)
        with np.errstate(over="ignore", invalid="ignore"):  # an unstable lr overflows to inf
            loss = ntk.kernel_prediction(basis, init, y, schedule, lrs)
        predicted[i, j, :len(loss)] = loss
        hist = histories[(method, seed)]["loss"].values[: epochs + 1]  # aggregates are NaN-padded
        measured[i, j, :len(hist)] = hist
        for st in schedule.stages:
            lam_max = ntk.extreme_eigenvalues(basis.ntk(st.s))[1]
            limits.setdefault(st.s, []).append(2 * len(y) / lam_max)
    first = next(iter(specs.values()))
    ds = xr.Dataset(
        {"measured_loss": (("method", "seed", "epoch"), measured),
         "predicted_loss": (("method", "seed", "epoch"), predicted),
         "stable_lr": ("s_stage", [min(v) for v in limits.values()])},
        coords={"method": methods, "seed": seeds, "epoch": np.arange(epochs + 1),
                "s_stage": list(limits),
                **{fact: ("method", [histories[m, seeds[0]][fact].values.item() for m in methods])
                   for fact in ("label", "is_baseline")}},
        attrs={"experiment": first["experiment"], "width": int(first["width"]), "optimizer": first["optimizer"]["name"],
               "lr": float(first["optimizer"]["lr"]), "kernel": kernel},
    )
    ds["measured_loss"].attrs["long_name"] = "training loss of the trained network"
    ds["predicted_loss"].attrs["long_name"] = "training loss of the network linearised at initialisation"
    ds["stable_lr"].attrs["description"] = ("2n / lambda_max(K_s): gradient descent on the kernel "
                                            "model is stable for learning rates below it (min over seeds)")
    return ds


def width_series(dataset: xr.Dataset, specs: list[dict], histories: dict, kernel: str) -> xr.Dataset:
    """Final training loss measured and predicted by the kernel regime at every width:
    ``specs`` of one optimizer (all widths, methods, seeds), ``histories`` keyed by
    (method, width, seed). Dims (width, method, seed); the method facts as coordinates."""
    parts = []
    for width in sorted({s["width"] for s in specs}):
        mine = {(s["method"], s["seed"]): s for s in specs if s["width"] == width}
        hist = {(m, seed): histories[m, width, seed] for m, seed in mine}
        ds = kernel_regime(dataset, mine, hist, kernel)
        parts.append(xr.Dataset({"measured_final_loss": ds["measured_loss"].isel(epoch=-1, drop=True),
                                 "predicted_final_loss": ds["predicted_loss"].isel(epoch=-1, drop=True)})
                     .expand_dims(width=[width]))
    out = xr.concat(parts, "width")
    out["measured_final_loss"].attrs["long_name"] = "final training loss of the trained network"
    out["predicted_final_loss"].attrs["long_name"] = "final training loss of the network linearised at initialisation"
    out.attrs.update(experiment=specs[0]["experiment"], optimizer=specs[0]["optimizer"]["name"], kernel=kernel)
    return out
