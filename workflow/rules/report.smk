# The Snakemake report (snakemake --report results/report.html): the landing page's
# provenance block, and the Markdown results as HTML pages, which the report shows inline.

PAGES = report_labels.PAGES  # page -> its place in the report
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
            category=lambda wc: PAGES[wc.page].category,
            labels=lambda wc: PAGES[wc.page].labels(),
        ),
    log:
        "results/logs/report/{page}.log",
    wildcard_constraints:
        page=one_of(PAGES),
    conda:
        "../../environment.yml"
    params:
        title=lambda wc: PAGES[wc.page].name,
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
