"""The reporting layer: the claims report, Table 1, the compute-cost table, the figures and
the report's captions and labels, in three rooms on one shared base:

- ``facts``: the facts that runs and aggregates carry (labels, baseline, stages, the loss as
  compared, axis names); reporting reads them, never the provenance JSON.
- ``numbers``: statistics and the data that text and figures show (paired tests, trends,
  adjustment, the claims' rows, the regime maps' tests, Table 1's summary, costs, the proof
  graph); no matplotlib or seaborn, no Markdown.
- ``words``: Markdown, HTML and reStructuredText (claims, Theorem 1, Table 1, costs,
  captions, report labels, the provenance page) and number formatting.
- ``pictures``: the figures and their style; the only room with matplotlib and seaborn.

The rule: words and pictures may import numbers and facts; numbers imports facts only;
words never import pictures and pictures never import words (tests/test_layers.py checks
it). The layer may import every layer below (model, problems, training, theory, pipeline);
nothing imports it.
"""
