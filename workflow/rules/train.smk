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
        mem_mb=lambda wc: 1000 + int(wc.width) // 10,
        runtime=30,
    log:
        "results/logs/train/{experiment}/{optimizer}/{method}/m{width}_seed{seed}.log",
    benchmark:
        "results/benchmarks/train/{experiment}/{optimizer}/{method}/m{width}_seed{seed}.tsv"
    script:
        "../scripts/train.py"
