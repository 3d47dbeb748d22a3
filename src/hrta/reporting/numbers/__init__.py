"""Numbers: the statistics of the report and the data its text and figures show (paired tests,
trends over width and depth, multiple-testing adjustment, the claims' rows, the regime maps'
tests, the kernel-limit ratios, Table 1's summary, the compute-cost table, the proof graph).

Imports hrta.reporting.facts and the layers below reporting only: no matplotlib or seaborn,
no Markdown; hrta.reporting.words and hrta.reporting.pictures read it.
"""
