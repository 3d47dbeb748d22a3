"""Figure 1: the proof-structure file loads, is acyclic and names only known results (issue 3)."""

import pytest
import yaml

from conftest import ROOT
from hrta.reporting.numbers.proof import ProofGraphError, layers, load
from hrta.reporting.pictures import proof

GRAPH = ROOT / "workflow" / "proof" / "convergence_theorem.yaml"


def test_the_proof_file_is_a_dag_of_known_results():
    raw = yaml.safe_load(GRAPH.read_text())["results"]
    for name, res in raw.items():
        assert set(res["uses"]) <= set(raw), name
    graph = load(GRAPH)
    depth = layers(graph["results"])
    for name, res in raw.items():  # acyclic: every used result lies strictly below
        assert all(depth[u] < depth[name] for u in res["uses"])
    labels = " ".join(r["label"] for r in raw.values())
    for known in ("Convergence theorem", "Theorem 1", "Weyl", "initial parameters"):
        assert known in labels
    assert sum(r["source"].startswith("Luo et al. (2021)") for r in raw.values()) >= 3
    assert max(depth, key=depth.get) == "convergence"


def _write(tmp_path, results):
    path = tmp_path / "g.yaml"
    path.write_text(yaml.safe_dump({"title": "t", "results": results}))
    return path


def _res(*uses):
    return {"label": "L", "statement": "S", "source": "X", "uses": list(uses)}


@pytest.mark.parametrize("results, message", [
    ({"a": _res("b"), "b": _res("a")}, "cycle"),
    ({"a": _res("nope")}, r"results\.a\.uses names unknown"),
    ({"a": {"label": "L", "uses": []}}, r"results\.a lacks \['statement', 'source'\]"),
    ({}, "non-empty 'results'"),
])
def test_bad_proof_files_are_named(tmp_path, results, message):
    with pytest.raises(ProofGraphError, match=message):
        load(_write(tmp_path, results))


def test_draw_writes_pdf_and_png(tmp_path):
    graph = load(_write(tmp_path, {"a": _res(), "b": _res("a"), "c": _res("a", "b")}))
    paths = proof.draw(graph, tmp_path / "fig1")
    assert all((tmp_path / f"fig1.{ext}").stat().st_size > 1000 for ext in ("pdf", "png"))
    assert len(paths) == 2
