"""The training layer: the LightningModule that fits a population of two-layer networks
full batch, each member under its own homotopy schedule (``module``), which runs train
together (``populations``), ``run`` (run specs in, one history per run out), the training
logs (``progress``) and ``HomotopySchedule`` (``callback``), the HRTA schedule as a
Lightning callback for any LightningModule.

May import hrta.model and hrta.problems; knows nothing of files, jobs or the workflow.
"""
