"""Draw Figure 1, the structure of the convergence proof, from its YAML description
(proof.graph: results with label, statement, source and the results each uses).

By hand: python workflow/scripts/proof_figure.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.reporting.numbers.proof import load
from hrta.reporting.pictures import proof


def main(graph: str, stem: str) -> None:
    proof.draw(load(graph), stem)


snakemake = scripts.rule_context(globals(), "proof_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"))
