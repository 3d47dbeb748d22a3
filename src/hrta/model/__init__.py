"""The model layer: the homotopy activation of any base activation (``homotopy``: the
module, ``homotopize`` and ``set_s`` for any PyTorch model), its fused ReLU slope kernel
and the sorted one of one-dimensional inputs (``sorted_slopes``),
the two-layer network and its population form, homotopy schedules (the stage-switch
logic every trainer asks) and the optimizers of the two protocols.

It holds no knowledge of problems, data files or the workflow and imports nothing from
the rest of hrta (torch only; ``schedule`` not even that, so the pipeline can validate a
config without importing torch).
"""
