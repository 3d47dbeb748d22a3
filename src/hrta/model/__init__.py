"""The model layer: the homotopy activation and its fused slope kernel, the two-layer
network, homotopy schedules and the optimizers of the two protocols.

It holds no knowledge of problems, data files or the workflow and imports nothing from
the rest of hrta (torch only; ``schedule`` not even that, so the pipeline can validate a
config without importing torch).
"""
