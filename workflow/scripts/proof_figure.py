"""Draw Figure 1, the structure of the convergence proof, from its YAML description.

By hand: python workflow/scripts/proof_figure.py workflow/proof/convergence_theorem.yaml results/figures/fig1
"""

import argparse

from hrta import cli, proof


def main(graph: str, stem: str) -> None:
    proof.draw(proof.load(graph), stem)


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(snakemake.input[0], snakemake.output.pdf.removesuffix(".pdf"))
else:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("graph", help="proof file (YAML: title, results with label, statement, source, uses)")
    p.add_argument("stem", help="output path without extension; .pdf and .png are written")
    a = p.parse_args()
    main(a.graph, a.stem)
