rule train:
    input:
        "results/data/{experiment}.nc",
    output:
        runs="results/runs/{experiment}/{job}.nc",
        timings="results/benchmarks/train/{experiment}/{job}.runs.tsv",
    params:
        specs=job_specs,
    threads: config["training"]["threads"]
    resources:
        mem_mb=lambda wc: hrta.resources.mem_mb(job_specs(wc)),
        runtime=lambda wc: hrta.resources.runtime_min(job_specs(wc)),
        gpu=lambda wc: hrta.resources.gpus(job_specs(wc)),
    conda:
        "../../environment.yml"
    log:
        "results/logs/train/{experiment}/{job}.log",
    benchmark:
        "results/benchmarks/train/{experiment}/{job}.tsv"
    script:
        "../scripts/train.py"
