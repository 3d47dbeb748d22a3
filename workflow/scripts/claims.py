"""Write the claims report (results/claims.md and .json) from the experiments' aggregates.

By hand: python workflow/scripts/claims.py results/aggregate/*.nc --out results/claims \
    [--theory results/theory/theorem1.json ...] [--config config.yaml]
"""

import json
from pathlib import Path

from hrta import claims, cli
from hrta.provenance import read_netcdf, write_text


def main(aggregates: list[str], stem: str, settings: dict, theory: list[str]) -> None:
    aggs = {Path(path).stem: read_netcdf(path) for path in aggregates}
    extra = [{"source": path, "data": json.loads(Path(path).read_text())} for path in theory]
    rep = claims.report(aggs, settings["alpha"], settings["min_pairs_wilcoxon"], extra)
    write_text(claims.to_json(rep), f"{stem}.json")
    write_text(claims.markdown(rep), f"{stem}.md")


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(list(snakemake.input.aggregates), snakemake.output.md.removesuffix(".md"),
             snakemake.params.settings, [snakemake.input.theory])
else:
    p = cli.parser(__doc__)
    p.add_argument("aggregates", nargs="+")
    p.add_argument("--out", default="results/claims", help="output path without extension")
    p.add_argument("--theory", nargs="*", default=[], help="JSON files of theory verdicts to include")
    a = p.parse_args()
    main(a.aggregates, a.out, cli.config_from(a, __file__)["claims"], a.theory)
