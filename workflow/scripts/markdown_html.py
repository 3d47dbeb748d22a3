"""Write a Markdown result (results/claims.md, results/tables/*.md) as the HTML page the
report shows inline.

By hand: python workflow/scripts/markdown_html.py page=tables/table1 [--configfile FILE]
"""

from pathlib import Path

from hrta.pipeline import scripts
from hrta.pipeline.files import write_text
from hrta.reporting.words.html_page import page


def main(source: str, target: str, title: str) -> None:
    write_text(page(Path(source).read_text(), title), target)


snakemake = scripts.rule_context(globals(), "markdown_html", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.output[0], snakemake.params.title)
