rule aggregate:
    input:
        lambda wc: grid.job_paths(JOBS, "runs", wc.experiment),
    output:
        PATHS["aggregate"],
    log:
        "results/logs/aggregate/{experiment}.log",
    conda:
        "../../environment.yml"
    params:
        experiment=experiment_config,
        runs=lambda wc: grid.recorded_runs(JOBS, wc.experiment),
        allow_gaps=config["aggregate"]["allow_gaps"],
    script:
        "../scripts/aggregate.py"
