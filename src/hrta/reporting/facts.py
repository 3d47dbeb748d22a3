"""The facts reporting reads off runs, aggregates and theory datasets: method labels, the
baseline, homotopy switches and the loss as compared (the gap to a reference for a Ritz
energy). No matplotlib here: tables and claims use it too."""

import xarray as xr

BASE_NAMES = {"relu": "ReLU", "tanh": "tanh", "gelu": "GELU"}  # a network's base activation, as written


def by_experiment(datasets) -> dict:
    """{experiment name: dataset} for datasets that each carry their experiment's name."""
    return {str(ds["experiment"].values): ds for ds in datasets}


def method_labels(ds: xr.Dataset) -> dict:
    """Method name -> display label ('ReLU', 'HRTA 0.5→1', ...), in the dataset's method order."""
    return {str(m): str(label) for m, label in zip(ds.method.values, ds["label"].values)}


def schedule_kind(label: str) -> str:
    """'ramp', 'plateau' or 'stages' from a method's label (hrta.model.schedule.Schedule.label
    writes '⇢' before a ramp's end and '(on plateau: ...)' for a switch on plateau)."""
    if "⇢" in label:
        return "ramp"
    return "plateau" if "on plateau" in label else "stages"


def s_path(label: str) -> str:
    """The s values a labelled schedule goes through, whatever the kind: 'HRTA 1⇢1.5 (ramp
    500)' and 'HRTA 1→1.5' are both '1→1.5'."""
    return label.split(" (")[0].removeprefix("HRTA ").replace("⇢", "→")


def baseline(ds: xr.Dataset) -> str | None:
    """The name of the ReLU baseline method, or None when the dataset has none."""
    names = [str(m) for m, base in zip(ds.method.values, ds["is_baseline"].values) if base]
    return names[0] if names else None


def switch_epochs(ds: xr.Dataset) -> list[int]:
    """Epochs where some method's schedule changes s (drawn as dotted lines)."""
    starts = ds["stage_start"].values
    return sorted({int(e) for e in starts.ravel() if e > 0})


def compared_loss(ds: xr.Dataset, name: str = "loss") -> xr.DataArray:
    """A loss variable as compared: minus the reference loss when the loss is a gap, on the
    same points (each epoch's own, ``loss_reference``, when they are redrawn every epoch)."""
    if not bool(ds["loss_is_gap"]):
        return ds[name]
    if "loss_reference" in ds:
        ref = ds["loss_reference"]
        return ds[name] - (ref if "epoch" in ds[name].dims else ref.isel(epoch=-1, drop=True))
    return ds[name] - float(ds["reference_loss"])


def loss_label(ds: xr.Dataset) -> str:
    """Axis label of the compared loss, e.g. 'Ritz energy gap E(u) − E(u*)'."""
    name = ds["loss"].attrs.get("long_name", "training loss")
    return f"{name} gap E(u) − E(u*)" if bool(ds["loss_is_gap"]) else name


def error_label(ds: xr.Dataset) -> str:
    """Axis label of the test error: its long name ('relative L2 test error', 'held-out
    classification error')."""
    attrs = ds["test_error"].attrs if "test_error" in ds else {}
    return attrs.get("long_name", "relative L2 test error")
