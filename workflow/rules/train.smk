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
    conda:
        "../../environment.yml"
    threads: config["training"]["threads"]
    resources:
        mem_mb=lambda wc: hrta.pipeline.resources.mem_mb(job_specs(wc)),
        runtime=lambda wc: hrta.pipeline.resources.runtime_min(job_specs(wc)),
        gpu=lambda wc: hrta.pipeline.resources.gpus(job_specs(wc)),
    params:
        specs=job_specs,
    script:
        "../scripts/train.py"
