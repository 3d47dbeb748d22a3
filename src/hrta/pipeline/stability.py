"""GD learning rates given as fractions of the kernel's stability limit 2n / lambda_max,
turned into numbers from the NTK spectra by the train job."""

import dataclasses

import numpy as np

from hrta.model.run import Run


def stability_limit(spectra, s_values, limit_from: tuple | None = None) -> float:
    """2 n / lambda_max of the infinite-width NTK, the smallest over the s a run visits: full-
    batch GD on the loss 0.5 * mean (phi - y)^2 is stable in the kernel regime below it.
    ``spectra``: an experiment's spectra (hrta.theory.spectra; lambda_max on n_used points),
    or with ``limit_from`` = (experiment, network slug) the Theorem-1-beyond spectra
    (hrta.theory.beyond), of which that experiment's network is taken."""
    if limit_from is None:
        lam, n_used = spectra["lambda_max"].sel(part="ntk"), int(spectra.attrs["n_used"])
    else:
        sel = spectra.sel(experiment=limit_from[0], network=limit_from[1])
        lam, n_used = sel["lambda_max"].sel(part="ntk"), int(sel["n_used"])
    worst = max(float(lam.sel(s=s, method="nearest")) for s in np.atleast_1d(s_values))
    return 2.0 * n_used / worst


def resolve_lr(run: Run, spectra) -> Run:
    """The run with a stability fraction turned into a learning rate (others unchanged): the
    fraction of the limit over every s its experiment visits, the same for all its methods."""
    opt = run.optimizer
    if opt.stability_fraction is None:
        return run
    lr = opt.stability_fraction * stability_limit(spectra, opt.stability_s, opt.limit_from)
    return dataclasses.replace(run, optimizer=opt.with_lr(lr))
