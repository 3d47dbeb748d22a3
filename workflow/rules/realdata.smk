# Real data (config key real_data): a plain MLP whose ReLUs are homotopized, trained with the
# HomotopySchedule callback on a dataset bundled with a package; its aggregate joins Table 1
# and the claims (C5) like an experiment's, and gets its own figure.

REAL_DATA = list(config["real_data"])
REAL_DATA_OUTPUTS = expand(
    "results/figures/{dataset}.{ext}", dataset=REAL_DATA, ext=["pdf", "png"]
)


rule real_data:
    output:
        PATHS["aggregate"].replace("{experiment}", "{dataset}"),
    log:
        "results/logs/real_data/{dataset}.log",
    benchmark:
        "results/benchmarks/real_data/{dataset}.tsv"
    wildcard_constraints:
        dataset=one_of(REAL_DATA),
    conda:
        "../../environment.yml"
    threads: config["training"]["threads"]
    resources:
        gpu=lambda wc: hrta.pipeline.resources.gpus(
            grid.real_data_runs(config, wc.dataset)
        ),
    params:
        experiment=lambda wc: grid.real_data_config(config, wc.dataset),
        runs=lambda wc: grid.real_data_runs(config, wc.dataset),
    script:
        "../scripts/real_data.py"


rule real_data_figure:
    input:
        PATHS["aggregate"].replace("{experiment}", "{dataset}"),
    output:
        pdf="results/figures/{dataset}.pdf",
        png=report(
            "results/figures/{dataset}.png",
            caption="../report/real_data.rst",
            category="Figures",
            subcategory=report_labels.REAL,
            labels=lambda wc: report_labels.real_data(wc.dataset).labels(),
        ),
    log:
        "results/logs/figures/{dataset}.log",
    wildcard_constraints:
        dataset=one_of(REAL_DATA),
    conda:
        "../../environment.yml"
    threads: 1
    params:
        bundled=lambda wc: config["real_data"][wc.dataset]["dataset"],
    script:
        "../scripts/real_data_figure.py"
