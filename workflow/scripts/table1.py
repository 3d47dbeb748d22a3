"""Write Table 1 (CSV, Markdown, LaTeX) from the experiments' aggregates.

By hand: python workflow/scripts/table1.py results/aggregate/*.nc --out results/tables/table1
"""

import argparse
from pathlib import Path

from hrta import cli, tables
from hrta.provenance import read_netcdf, write_text


def main(aggregates: list[str], stem: str) -> None:
    aggs = {Path(path).stem: read_netcdf(path) for path in aggregates}
    df = tables.summary(aggs)
    write_text(df.to_csv(index=False, float_format="%.6e"), f"{stem}.csv")
    write_text(tables.markdown(df), f"{stem}.md")
    write_text(tables.latex(df), f"{stem}.tex")


if "snakemake" in globals():
    with cli.logged(snakemake.log[0]):
        main(list(snakemake.input), snakemake.output.csv.removesuffix(".csv"))
else:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("aggregates", nargs="+")
    p.add_argument("--out", default="results/tables/table1")
    a = p.parse_args()
    main(a.aggregates, a.out)
