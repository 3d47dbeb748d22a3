"""Write the reader's page (results/index.html) and the answer of the report's landing page
(results/report/answer.rst) from the claims, Table 1 and the figures. Imports no torch.

By hand: python workflow/scripts/front_door.py [--configfile FILE]
"""

from pathlib import Path

from hrta.pipeline import scripts
from hrta.pipeline.files import write_text
from hrta.reporting.words import front


def main(claims: str, table1: str, figures: list[dict], config: dict, profile: str, page: str, answer: str) -> None:
    claims_md = Path(claims).read_text()
    write_text(front.page(claims_md, Path(table1).read_text(), figures, config, profile), page)
    write_text(front.answer_rst(claims_md, figures), answer)


snakemake = scripts.rule_context(globals(), "front_door", __doc__)
with scripts.logged(snakemake.log[0]):
    p = snakemake.params
    main(snakemake.input.claims, snakemake.input.table1, p.figures, p.config, p.profile,
         snakemake.output.page, snakemake.output.answer)
