"""Words: the report's text in Markdown, HTML and reStructuredText (the claims report and its
sections, Table 1's Markdown and LaTeX, the compute-cost table, captions, report labels, the
provenance page) and how it prints numbers (``format``).

Reads hrta.reporting.numbers and hrta.reporting.facts, never hrta.reporting.pictures: no
matplotlib or seaborn here (the Snakefile imports the captions and report labels at every
start), and no torch.
"""
