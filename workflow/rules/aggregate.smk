rule aggregate:
    input:
        lambda wc: [job_file(e, job) for e, job in JOBS if e == wc.experiment],
    output:
        "results/aggregate/{experiment}.nc",
    params:
        config=lambda wc: experiment_config(wc.experiment),
    conda:
        "../../environment.yml"
    log:
        "results/logs/aggregate/{experiment}.log",
    script:
        "../scripts/aggregate.py"
