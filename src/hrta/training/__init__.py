"""The training layer: the LightningModule that fits a network full batch under a
homotopy schedule, the cut-down Trainer, and ``run.train``, which turns one run spec into
its history (an xarray Dataset).

May import hrta.model and hrta.problems; knows nothing of files, jobs or the workflow.
"""
