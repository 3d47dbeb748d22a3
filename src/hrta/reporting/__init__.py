"""The reporting layer: figures (convergence, theory, proof), Table 1, the claims report,
the compute-cost table and the report captions' parameters.

Reads the facts that runs and aggregates carry (hrta.reporting.facts: labels, baseline,
stages, loss gap, experiment), never the provenance JSON. May import every layer below
(model, problems, training, theory, pipeline); nothing imports it. matplotlib and
seaborn are imported by the figure modules only (style, convergence, theory_figures,
proof).
"""
