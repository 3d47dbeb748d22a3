rule compute_cost:
    input:
        jobs=grid.job_paths(JOBS, "train_benchmark"),
        runs=grid.job_paths(JOBS, "run_timings"),
    output:
        csv="results/tables/compute_cost.csv",
        md="results/tables/compute_cost.md",
    log:
        "results/logs/tables/compute_cost.log",
    conda:
        "../../environment.yml"
    script:
        "../scripts/compute_cost.py"
