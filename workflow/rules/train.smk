rule train:
    input:
        "results/data/{experiment}.nc",
    output:
        "results/runs/{experiment}/{optimizer}/{method}/m{width}_seed{seed}.nc",
    params:
        spec=lambda wc: hrta.config.run_spec(
            config, wc.experiment, wc.optimizer, wc.method, wc.width, wc.seed
        ),
    threads: config["training"]["threads"]
    resources:
        mem_mb=lambda wc: hrta.resources.mem_mb(train_spec(wc)),
        runtime=lambda wc: hrta.resources.runtime_min(train_spec(wc)),
        gpu=lambda wc: hrta.resources.gpus(train_spec(wc)),
    conda:
        "../../environment.yml"
    log:
        "results/logs/train/{experiment}/{optimizer}/{method}/m{width}_seed{seed}.log",
    benchmark:
        "results/benchmarks/train/{experiment}/{optimizer}/{method}/m{width}_seed{seed}.tsv"
    script:
        "../scripts/train.py"
