"""Write Table 1 (CSV, Markdown, LaTeX) from the experiments' aggregates.

By hand: python workflow/scripts/table1.py [--configfile FILE]
"""

from hrta.pipeline import scripts
from hrta.pipeline.files import read_netcdf, write_text
from hrta.reporting.facts import by_experiment
from hrta.reporting.numbers.table1 import summary
from hrta.reporting.words import table1


def main(aggregates: list[str], stem: str) -> None:
    df = summary(by_experiment(read_netcdf(path) for path in aggregates))
    write_text(df.to_csv(index=False, float_format="%.6e"), f"{stem}.csv")
    write_text(table1.markdown(df), f"{stem}.md")
    write_text(table1.latex(df), f"{stem}.tex")


snakemake = scripts.rule_context(globals(), "table1", __doc__)
with scripts.logged(snakemake.log[0]):
    main(list(snakemake.input), snakemake.output.csv.removesuffix(".csv"))
