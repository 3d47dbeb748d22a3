# The Snakemake report (snakemake --report results/report.html): the landing page's
# provenance block, and the Markdown results as HTML pages, which the report shows inline.

PAGES = {
    "claims": report_labels.labels(
        "Claims",
        ", ".join(EXPERIMENTS),
        "the paper's claims C1, C2 and Theorem 1 checked: verdicts, ratios, p-values",
    ),
    "tables/table1": report_labels.labels(
        "Table 1",
        ", ".join(EXPERIMENTS),
        "table of final training loss and test error, mean ± sd over seeds",
    ),
    "tables/compute_cost": report_labels.labels(
        "Compute cost",
        ", ".join(EXPERIMENTS),
        "table of wall and CPU seconds and peak memory per run",
    ),
}
REPORT_OUTPUTS = expand("results/{page}.html", page=PAGES) + [
    "results/report/provenance.rst"
]


rule markdown_html:
    input:
        "results/{page}.md",
    output:
        report(
            "results/{page}.html",
            caption="../report/page.rst",
            category=lambda wc: "Claims" if wc.page == "claims" else "Tables",
            labels=lambda wc: PAGES[wc.page],
        ),
    log:
        "results/logs/report/{page}.log",
    wildcard_constraints:
        page=one_of(PAGES),
    conda:
        "../../environment.yml"
    params:
        title=lambda wc: PAGES[wc.page]["figure"],
    script:
        "../scripts/markdown_html.py"


rule provenance_page:
    output:
        "results/report/provenance.rst",
    log:
        "results/logs/report/provenance.log",
    conda:
        "../../environment.yml"
    params:
        profile=PROFILE,
        config=config,
    script:
        "../scripts/provenance_page.py"
