"""Write the provenance block of the report's landing page (profile, commit, versions, config).

By hand: python workflow/scripts/provenance_page.py [--configfile FILE]
"""

from hrta.pipeline import provenance, scripts
from hrta.pipeline.files import write_text
from hrta.reporting.words.description import provenance_rst


def main(target: str, profile: str, config: dict) -> None:
    commit = provenance.described(provenance.run_state())  # the run's checkout, as every netCDF records it
    write_text(provenance_rst(profile, config, provenance.versions(), commit), target)


snakemake = scripts.rule_context(globals(), "provenance_page", __doc__)
with scripts.logged(snakemake.log[0]):
    main(snakemake.output[0], snakemake.params.profile, snakemake.params.config)
