"""Real data that ships inside a package (no download at run time): scikit-learn's bundled
digits, 1797 8 x 8 images of handwritten digits (64 grey levels 0..16 each), 10 classes.

A fixed stratified split into training and held-out points (seeded by ``data_seed``); the
features are standardised with the training split's mean and standard deviation (a pixel
constant on the training split is only centred). Not a ``Problem``: these datasets are
trained by a plain LightningModule (hrta.training.real_data), not the two-layer
population machinery. scikit-learn is imported on first use only.
"""

import numpy as np
import xarray as xr

DATASETS = {"digits": "Handwritten digits (scikit-learn), MLP with two hidden layers"}  # name: figure title


def load(name: str, held_out: float, data_seed: int) -> xr.Dataset:
    """The dataset ``name`` split and standardised: x_train (sample, feature), y_train
    (sample; class index, int64), x_test, y_test (test_sample), n_classes as an attr."""
    if name not in DATASETS:
        raise ValueError(f"real-data dataset must be one of {DATASETS}, got {name!r}")
    if not 0 < held_out < 1:
        raise ValueError(f"held-out fraction must lie in (0, 1), got {held_out}")
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    bunch = load_digits()
    x, y = bunch.data.astype(np.float64), bunch.target.astype(np.int64)
    x_train, x_test, y_train, y_test = train_test_split(x, y, test_size=held_out, stratify=y,
                                                        random_state=data_seed)
    mean, sd = x_train.mean(axis=0), x_train.std(axis=0)
    sd = np.where(sd > 0, sd, 1.0)
    ds = xr.Dataset({
        "x_train": (("sample", "feature"), (x_train - mean) / sd),
        "y_train": ("sample", y_train),
        "x_test": (("test_sample", "feature"), (x_test - mean) / sd),
        "y_test": ("test_sample", y_test),
    })
    ds.attrs.update(dataset=name, n_classes=int(len(np.unique(y))), held_out=float(held_out), data_seed=int(data_seed))
    return ds
