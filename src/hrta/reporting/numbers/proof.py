"""Figure 1's data: a proof's structure, read from a declarative YAML file and checked, and
its layers.

The file holds ``title`` and ``results``: name -> {label, statement, source, uses}. An arrow
goes from each used result to the result using it. Layers are longest paths from the
results that use nothing, so every arrow points down.
"""

from pathlib import Path

import yaml

FIELDS = ("label", "statement", "source", "uses")


class ProofGraphError(ValueError):
    """The proof file is malformed; the message names the file (and the config key) and the entry."""


def load(path, key: str | None = None) -> dict:
    """Read and check a proof file: every result complete, every `uses` known, no cycle;
    errors name the file and, given, the config key that names it."""
    path = Path(path)
    where = (f"config key '{key}': " if key else "") + f"proof file '{path}'"
    try:
        raw = yaml.safe_load(path.read_text())
    except FileNotFoundError:
        raise ProofGraphError(f"{where}: no such file (expected: a proof file, its path relative to the"
                              " checkout)") from None
    except (OSError, yaml.YAMLError) as err:
        raise ProofGraphError(f"{where}: cannot be read as YAML ({err})") from None
    if not isinstance(raw, dict) or not isinstance(raw.get("results"), dict) or not raw["results"]:
        raise ProofGraphError(f"{where}: expected a mapping with a non-empty 'results'")
    results = raw["results"]
    for name, res in results.items():
        missing = [f for f in FIELDS if not isinstance(res, dict) or f not in res]
        if missing:
            raise ProofGraphError(f"{where}: results.{name} lacks {missing}")
        if not isinstance(res["uses"], list):
            raise ProofGraphError(f"{where}: results.{name}.uses must be a list")
        unknown = [u for u in res["uses"] if u not in results]
        if unknown:
            raise ProofGraphError(f"{where}: results.{name}.uses names unknown"
                                  f" results {unknown} (known: {sorted(results)})")
    try:
        layers(results)
    except ValueError as err:
        raise ProofGraphError(f"{where}: {err}") from None
    return {"title": raw.get("title", ""), "results": results}


def layers(results: dict) -> dict:
    """Result -> layer: 0 for results that use nothing, else 1 + the deepest used layer."""
    depth, active = {}, set()

    def visit(name):
        if name in depth:
            return depth[name]
        if name in active:
            raise ValueError(f"the 'uses' relation has a cycle through {name!r}")
        active.add(name)
        depth[name] = 1 + max((visit(u) for u in results[name]["uses"]), default=-1)
        active.discard(name)
        return depth[name]

    for name in results:
        visit(name)
    return depth
