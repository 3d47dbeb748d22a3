# HRTA beyond two-layer ReLU in training (issue 19, config key architectures): the generated
# experiments <name>_<base>_L<depth> train, aggregate and get their convergence figures through
# the ordinary rules; this rule draws their summary beside the two-layer ReLU runs.

ARCHITECTURE_OUTPUTS = (
    expand("results/figures/architectures.{ext}", ext=["pdf", "png"])
    if ARCHITECTURES
    else []
)


rule architectures_figure:
    input:
        networks=expand(PATHS["aggregate"], experiment=ARCHITECTURES),
        sources=expand(
            PATHS["aggregate"],
            experiment=sorted(
                {
                    config["experiments"][e]["architecture"]["source"]
                    for e in ARCHITECTURES
                }
            ),
        ),
    output:
        pdf="results/figures/architectures.pdf",
        png=report(
            "results/figures/architectures.png",
            caption="../report/architectures.rst",
            category="Figures",
            subcategory=report_labels.NETWORKS,
            labels=report_labels.architectures().labels(),
        ),
    log:
        "results/logs/figures/architectures.log",
    conda:
        "../../environment.yml"
    threads: 1
    script:
        "../scripts/architectures_figure.py"
