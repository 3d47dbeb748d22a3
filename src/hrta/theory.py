"""Theory on an experiment's data: NTK spectra against s (Theorem 1) and kernel-regime
predictions of gradient-descent training, as netCDF-ready datasets."""

import copy

import numpy as np
import torch
import xarray as xr

from hrta import ntk
from hrta.config import run_spec, runs
from hrta.network import TwoLayerNet, initial_network
from hrta.optim import make_lr_scheduler, make_optimizer
from hrta.schedule import Schedule

def network_outputs(net: TwoLayerNet, x, s: float) -> np.ndarray:
    """phi_s(x) of the net at its current parameters, in float64 (the net is not changed)."""
    net = copy.deepcopy(net).double()
    net.set_s(s)
    with torch.no_grad():
        return net(torch.as_tensor(np.asarray(x, dtype=np.float64))).numpy()


def subsample(x: np.ndarray, max_points: int, seed: int) -> np.ndarray:
    """Indices of at most max_points rows of x, drawn without replacement (sorted); all if fewer."""
    if len(x) <= max_points:
        return np.arange(len(x))
    return np.sort(np.random.default_rng(seed).choice(len(x), max_points, replace=False))


def s_grid(theory: dict, experiment: dict) -> np.ndarray:
    """The fine grid of s, plus every s that the experiment's schedules use."""
    grid = np.linspace(theory["s_min"], theory["s_max"], theory["s_points"])
    used = [st["s"] for m in experiment["methods"] for st in m["schedule"]]
    return np.union1d(np.round(grid, 12), used)


def spectra(dataset: xr.Dataset, experiment: dict, training: dict, theory: dict) -> xr.Dataset:
    """lambda_min and lambda_max of each NTK part against s on the training inputs.

    Analytic (infinite width) on the fine grid; empirical at initialisation for every
    width and seed of the experiment on the coarser grid ``theory['empirical_s']``.
    """
    x_all = dataset["x_train"].values
    keep = subsample(x_all, theory["max_points"], theory["subsample_seed"])
    x = x_all[keep]
    grid = s_grid(theory, experiment)
    basis = ntk.analytic_basis(x, training["bias"])
    analytic = np.array([ntk.spectrum(basis.part(p), grid) for p in ntk.PARTS])  # part, 2, s
    s_emp = np.asarray(theory["empirical_s"], dtype=np.float64)
    widths, seeds = experiment["widths"], experiment["seeds"]
    emp = np.empty((len(widths), len(seeds), len(ntk.PARTS), 2, len(s_emp)))
    for i, width in enumerate(widths):
        for j, seed in enumerate(seeds):
            net = initial_network(x.shape[1], width, seed, training)
            fin = ntk.empirical_basis(net, x)
            for k, part in enumerate(ntk.PARTS):
                kern = fin.part(part)
                emp[i, j, k] = np.array([ntk.extreme_eigenvalues(kern.at(s)) for s in s_emp]).T
    ds = xr.Dataset(
        {
            "lambda_min": (("part", "s"), analytic[:, 0]),
            "lambda_max": (("part", "s"), analytic[:, 1]),
            "empirical_lambda_min": (("width", "seed", "part", "s_empirical"), emp[:, :, :, 0]),
            "empirical_lambda_max": (("width", "seed", "part", "s_empirical"), emp[:, :, :, 1]),
            "train_index": ("point", keep),
        },
        coords={"part": list(ntk.PARTS), "s": grid, "s_empirical": s_emp,
                "width": np.asarray(widths), "seed": np.asarray(seeds)},
        attrs={"n_train": len(x_all), "n_used": len(x)},
    )
    ds["lambda_min"].attrs["long_name"] = "smallest eigenvalue of the infinite-width Gram matrix"
    ds["lambda_max"].attrs["long_name"] = "largest eigenvalue of the infinite-width Gram matrix"
    ds["empirical_lambda_min"].attrs["long_name"] = "smallest eigenvalue of the Gram matrix at initialisation"
    ds["empirical_lambda_max"].attrs["long_name"] = "largest eigenvalue of the Gram matrix at initialisation"
    ds["part"].attrs["description"] = ("output: gradient in the output weights a (lambda_a); first: "
                                       "gradient in the first layer w (lambda_w); ntk: their sum")
    ds["train_index"].attrs["description"] = "training points used (a random subsample if n_train > max_points)"
    return ds


def monotone_verdict(ds: xr.Dataset, tolerance: float) -> dict:
    """Theorem 1 on one experiment: is lambda_min of each analytic part non-decreasing in s?

    A step counts as a decrease when lambda_min falls by more than tolerance * max lambda_max
    (the eigensolver's rounding level). Returns the verdict and the numbers behind it.
    """
    out = {"n_train": int(ds.attrs["n_train"]), "n_used": int(ds.attrs["n_used"]),
           "s": ds["s"].values.tolist(), "parts": {}}
    for part in ds.part.values:
        lam = ds["lambda_min"].sel(part=part).values
        slack = tolerance * float(ds["lambda_max"].sel(part=part).max())
        steps = np.diff(lam)
        out["parts"][str(part)] = {
            "non_decreasing": bool((steps >= -slack).all()),
            "largest_decrease": float(max(0.0, -steps.min())),
            "allowed_decrease": slack,
            "lambda_min": lam.tolist(),
            "lambda_max": ds["lambda_max"].sel(part=part).values.tolist(),
        }
    out["theorem1_holds"] = all(p["non_decreasing"] for p in out["parts"].values())
    return out


def learning_rates(optimizer: dict, epochs: int) -> np.ndarray:
    """The learning rate of every epoch under an optimizer config (as training applies it)."""
    param = torch.zeros(1, requires_grad=True)
    opt = make_optimizer([param], optimizer)
    sched = make_lr_scheduler(opt, optimizer)
    out = np.empty(epochs)
    for k in range(epochs):
        out[k] = sched.get_last_lr()[0]
        opt.step()
        sched.step()
    return out


def kernel_regime(dataset: xr.Dataset, specs: dict, histories: dict, kernel: str) -> xr.Dataset:
    """Measured training loss against the linearised (kernel-regime) prediction.

    ``specs`` and ``histories`` map (method, seed) to a run spec and its training history
    (all of one width and optimizer). The prediction starts from the run's own initial
    network: phi_s(theta_0) at each stage's s; its kernel is the analytic infinite-width
    NTK (kernel 'analytic') or the network's NTK at initialisation ('empirical').
    """
    if kernel not in ("analytic", "empirical"):
        raise ValueError(f"kernel must be 'analytic' or 'empirical', got {kernel!r}")
    x, y = dataset["x_train"].values, dataset["y_train"].values
    methods = list(dict.fromkeys(m for m, _ in specs))
    seeds = sorted({s for _, s in specs})
    epochs = max(Schedule(spec["schedule"]).total_epochs for spec in specs.values())
    predicted = np.full((len(methods), len(seeds), epochs + 1), np.nan)
    measured = np.full_like(predicted, np.nan)
    limits = {}
    analytic = ntk.analytic_basis(x, next(iter(specs.values()))["training"]["bias"])
    for (method, seed), spec in specs.items():
        schedule = Schedule(spec["schedule"])
        net = initial_network(x.shape[1], spec["width"], spec["seed"], spec["training"])
        basis = analytic if kernel == "analytic" else ntk.empirical_basis(net, x)
        init = {st.s: network_outputs(net, x, st.s) for st in schedule.stages}
        lrs = learning_rates(spec["optimizer"], schedule.total_epochs)
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
                "s_stage": list(limits)},
        attrs={"width": int(first["width"]), "optimizer": first["optimizer"]["name"],
               "lr": float(first["optimizer"]["lr"]), "kernel": kernel},
    )
    ds["measured_loss"].attrs["long_name"] = "training loss of the trained network"
    ds["predicted_loss"].attrs["long_name"] = "training loss of the network linearised at initialisation"
    ds["stable_lr"].attrs["description"] = ("2n / lambda_max(K_s): gradient descent on the kernel "
                                            "model is stable for learning rates below it (min over seeds)")
    return ds



def kernel_regime_specs(config: dict) -> list[dict]:
    """Run specs of the kernel-regime comparison: theory.kernel_regime's experiment and
    optimizer at the experiment's largest width, every method and seed."""
    choice = config["theory"]["kernel_regime"]
    exp = choice["experiment"]
    width = max(config["experiments"][exp]["widths"])
    return [run_spec(config, exp, r["optimizer"], r["method"], width, r["seed"])
            for r in runs(config)
            if r["experiment"] == exp and r["optimizer"] == choice["optimizer"] and r["width"] == width]
