# How the runs trained (results/dynamics/<experiment>.nc: the switch shock and recovery, the
# minimum and the drift after it, the tail of every run) and the switch figure of every
# paper experiment.

DYNAMICS_OUTPUTS = expand(
    "results/dynamics/{experiment}.nc", experiment=EXPERIMENTS + REAL_DATA
) + expand(
    "results/figures/switch_{experiment}.{ext}",
    experiment=EXPERIMENTS,
    ext=["pdf", "png"],
)


rule dynamics:
    input:
        PATHS["aggregate"],
    output:
        "results/dynamics/{experiment}.nc",
    log:
        "results/logs/dynamics/{experiment}.log",
    wildcard_constraints:
        experiment=one_of(EXPERIMENTS + REAL_DATA),
    conda:
        "../../environment.yml"
    script:
        "../scripts/dynamics.py"


rule switch_figure:
    input:
        "results/dynamics/{experiment}.nc",
    output:
        pdf="results/figures/switch_{experiment}.pdf",
        png=report(
            "results/figures/switch_{experiment}.png",
            caption="../report/switch.rst",
            category="Figures",
            subcategory=report_labels.SWITCH,
            labels=lambda wc: report_labels.switch(wc.experiment).labels(),
        ),
    log:
        "results/logs/figures/switch_{experiment}.log",
    wildcard_constraints:
        experiment=one_of(EXPERIMENTS),
    conda:
        "../../environment.yml"
    script:
        "../scripts/switch_figure.py"
