"""Pictures: the figures (convergence, regime maps, kernel limit, Theorem 1 and the kernel
regime, Theorem 1 beyond two-layer ReLU, architectures, the proof graph) and their one style
(``style``), saved as PDF and PNG with deterministic metadata.

Reads hrta.reporting.numbers and hrta.reporting.facts, never hrta.reporting.words (a figure's
title is built where it is drawn). The only room that imports matplotlib and seaborn.
"""
