import pytest

from hrta.costs import cost_table, markdown, read_benchmark

# the header Snakemake 9 writes for a job's `benchmark:` file
HEADER = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"


def _bench(tmp_path, name, s, rss, cpu):
    path = tmp_path / f"{name}.tsv"
    path.write_text(HEADER + f"{s}\t0:00:01\t{rss}\t64.16\t50.80\t51.45\t0.00\t0.00\t0.00\t{cpu}\n")
    return path


def test_cost_table_groups_seeds(tmp_path):
    runs = [{"experiment": "sin1d", "optimizer": "adam", "method": "relu", "width": w, "seed": seed}
            for w in (10, 100) for seed in (0, 1)]
    values = [(2.0, 300.0, 1.5), (4.0, "NA", 3.5), (10.0, 500.0, 9.0), (12.0, 520.0, 11.0)]
    paths = [_bench(tmp_path, i, *v) for i, v in enumerate(values)]
    assert read_benchmark(paths[0]) == pytest.approx({"wall_s": 2.0, "cpu_s": 1.5, "max_rss_mb": 300.0})
    table = cost_table(runs, paths)
    assert list(table["width"]) == [10, 100] and list(table["runs"]) == [2, 2]
    assert list(table["wall_s_mean"]) == [3.0, 11.0] and list(table["wall_s_total"]) == [6.0, 22.0]
    assert list(table["cpu_s_mean"]) == [2.5, 10.0]
    assert list(table["max_rss_mb"]) == [300.0, 520.0]  # NA (not sampled) is skipped
    md = markdown(table)
    assert "| sin1d | adam | relu | 100 | 2 | 11.0 | 12.0 | 10.0 | 520 |" in md
    assert "28 s" in md


def test_rejects_a_file_that_is_not_a_benchmark(tmp_path):
    path = tmp_path / "x.tsv"
    path.write_text("a\tb\n1\t2\n")
    with pytest.raises(ValueError, match="not a Snakemake benchmark"):
        read_benchmark(path)
    with pytest.raises(ValueError, match="2 runs but 1"):
        cost_table([{}, {}], [path])

