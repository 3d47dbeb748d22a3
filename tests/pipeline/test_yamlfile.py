"""Profiles read as data, strictly (issue 35): one line naming the file, line and column for
what YAML or JSON would take silently or report without a place."""

import json
import time

import pytest

from conftest import ROOT, SCHEMA
from hrta.pipeline.config import ConfigError, load, main
from hrta.pipeline.yamlfile import read

REFUSED = {  # file name -> (text, what the one-line message says)
    "dup.yaml": ("training:\n  threads: 1\n  dtype: float64\n  threads: 2\n",
                 r"dup\.yaml', line 4, column 3: key 'threads' given twice \(first at line 2"),
    "nested_dup.yaml": ("experiments:\n  sin1d:\n    seeds: [0]\n  sin1d:\n    seeds: [1]\n",
                        r"line 4, column 3: key 'sin1d' given twice"),
    "dup.json": ('{"training": {"threads": 1,\n  "threads": 2}}', r"dup\.json', line 2: key 'threads' given twice"),
    "yte.yaml": ("__use_yte__: true\ntraining:\n  threads: ?1 + 1\n", r"__use_yte__ asks for YAML templating"),
    "tab.yaml": ("training:\n\tthreads: 1\n", r"tab\.yaml', line 2, column 1: .*a tab: YAML indents with spaces"),
    "syntax.yaml": ("training: {threads: 1\nexperiments: [\n", r"syntax\.yaml', line 2, column \d+: "),
    "deep.yaml": ("x:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(40)) + "  " * 41 + "v: 1\n",
                  r"deep\.yaml', line 33, column \d+: lists and mappings nested more than 32 deep"),
    "deep_flow.yaml": ("x: " + "[" * 100_000 + "]" * 100_000 + "\n",
                       r"deep_flow\.yaml', line 1, column \d+: exceeded maximum nesting depth"),
    "deep.json": ('{"x": ' + "[" * 100_000 + "]" * 100_000 + "}", r"deep\.json': nested too deep"),
    "list.yaml": ("- 1\n- 2\n", r"expected a mapping of keys at top level"),
    "empty.yaml": ("", r"expected a mapping of keys at top level"),
}


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_refused_in_one_line_naming_the_place(tmp_path, name):
    text, message = REFUSED[name]
    (tmp_path / name).write_text(text)
    start = time.perf_counter()
    with pytest.raises(ConfigError, match=message) as err:
        read(tmp_path / name)
    assert "\n" not in str(err.value) and time.perf_counter() - start < 2


def test_missing_file_in_one_line(tmp_path):
    with pytest.raises(ConfigError, match=r"^config file '.*missing\.yaml': no such file$"):
        read(tmp_path / "missing.yaml")


def test_plain_yaml_json_and_merge_keys_are_read(tmp_path):
    (tmp_path / "a.yaml").write_text("base: &b {x: 1, y: 2}\nother:\n  <<: *b\n  y: 3\n")
    assert read(tmp_path / "a.yaml") == {"base": {"x": 1, "y": 2}, "other": {"x": 1, "y": 3}}
    (tmp_path / "a.json").write_text(json.dumps({"training": {"threads": 2}}, indent="\t"))  # tabs: JSON
    assert read(tmp_path / "a.json") == {"training": {"threads": 2}}


def test_every_shipped_profile_reads_strictly():
    for path in [ROOT / "config.yaml", *sorted((ROOT / "workflow" / "configs").glob("*.yaml"))]:
        assert isinstance(read(path), dict), path


def test_alias_bomb_in_a_profile_is_refused_fast(tmp_path):
    """A billion laughs inside a list: parsed as shared lists (fast), refused by the size
    check before anything walks it value by value."""
    bomb = "[&l0 [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], " + ", ".join(
        f"&l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 9)) + "]"
    (tmp_path / "bomb.yaml").write_text(f"experiments:\n  sin1d:\n    seeds: {bomb}\n")
    start = time.perf_counter()
    with pytest.raises(ConfigError, match=r"config key 'experiments\.sin1d\.seeds': the config holds more than"
                                          r" 100,000 values"):
        load(tmp_path / "bomb.yaml", SCHEMA, ROOT / "config.yaml")
    assert time.perf_counter() - start < 2


def test_the_check_command_says_valid_or_where(tmp_path, capsys):
    (tmp_path / "tab.yaml").write_text("training:\n\tthreads: 1\n")
    assert main([str(ROOT / "workflow" / "configs" / "ci.yaml"), str(tmp_path / "tab.yaml"),
                 str(tmp_path / "missing.yaml")]) == 1
    out, err = capsys.readouterr()
    assert "ci.yaml': valid" in out
    assert err.splitlines() == [f"config file '{tmp_path / 'tab.yaml'}', line 2, column 1: found character that"
                                " cannot start any token (while scanning for the next token) (a tab: YAML indents"
                                " with spaces only)",
                                f"config file '{tmp_path / 'missing.yaml'}': no such file"]
