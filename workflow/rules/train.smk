rule train:
    input:
        unpack(train_inputs),
    output:
        runs=PATHS["runs"],
        timings=PATHS["run_timings"],
    log:
        PATHS["train_log"],
    benchmark:
        PATHS["train_benchmark"]
    priority: train_priority
    conda:
        "../../environment.yml"
    threads: config["training"]["threads"]
    resources:
        mem_mb=lambda wc: hrta.pipeline.resources.mem_mb(
            job_runs(wc), config["training"]["population_mb"]
        ),
        runtime=lambda wc: hrta.pipeline.resources.runtime_min(
            job_runs(wc), config["training"]["population_mb"]
        ),
        gpu=lambda wc: hrta.pipeline.resources.gpus(job_runs(wc)),
    params:
        runs=job_runs,
    script:
        "../scripts/train.py"
