rule aggregate:
    input:
        lambda wc: [run_file(r) for r in RUNS if r["experiment"] == wc.experiment],
    output:
        "results/aggregate/{experiment}.nc",
    params:
        runs=lambda wc: [r for r in RUNS if r["experiment"] == wc.experiment],
        config=lambda wc: experiment_config(wc.experiment),
    conda:
        "../../environment.yml"
    log:
        "results/logs/aggregate/{experiment}.log",
    script:
        "../scripts/aggregate.py"
