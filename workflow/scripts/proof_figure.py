"""Draw Figure 1, the structure of the convergence proof, from its YAML description
(proof.graph: results with label, statement, source and the results each uses; read and
checked by the rule, hrta.reporting.numbers.proof.load).

By hand: python workflow/scripts/proof_figure.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.reporting.pictures import proof


def main(graph: dict, stem: str) -> None:
    proof.draw(graph, stem)


snakemake = scripts.rule_context(globals(), "proof_figure", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.params.graph, snakemake.output.pdf.removesuffix(".pdf"))
