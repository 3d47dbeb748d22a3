"""Profiles and config.yaml read as data, strictly: a file that is missing, not YAML (or JSON),
nested absurdly deep, templated, or that gives a key twice is refused in one line naming the
file, line and column. Imports no torch.

Snakemake parses ``--configfile`` itself before the Snakefile runs, with a loader that keeps
the last of two equal keys and runs YAML templates (``__use_yte__``); the Snakefile reads every
such file again with :func:`read` so that what Snakemake let through is refused before any
job. What Snakemake refuses first (a missing file, a YAML syntax error, nesting deeper than
Python's recursion limit) it reports in its own words; ``python -m hrta.pipeline.config FILE``
then says where (docs/configuration.md).
"""

import json
import re
from pathlib import Path

import yaml

from hrta.pipeline.errors import ConfigError

MAX_DEPTH = 32  # nesting of mappings and lists; a profile needs 6
MAX_BYTES = 2**20  # config.yaml is about 10 kB
TEMPLATE_KEY = "__use_yte__"  # Snakemake's switch for YAML templating (yte)
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser where built with it


class _Duplicate(yaml.MarkedYAMLError):
    pass


class StrictLoader(_BASE):
    """Safe YAML that refuses a mapping giving one key twice (merge keys ``<<`` may be overridden)."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            seen = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    first = seen.setdefault(key, key_node.start_mark)
                except TypeError:  # an unhashable key: the constructor says so below
                    continue
                if first is not key_node.start_mark:
                    raise _Duplicate(None, None, f"key {key!r} given twice (first at line {first.line + 1}; expected"
                                     " each key once: YAML would keep only the last)", key_node.start_mark)
        return super().construct_mapping(node, deep=deep)


def _where(path, mark) -> str:
    return f"config file '{path}'" + (f", line {mark.line + 1}, column {mark.column + 1}" if mark else "")


def _char_at(text: str, mark) -> str:
    lines = text.splitlines()
    if mark is None or mark.line >= len(lines) or mark.column >= len(lines[mark.line]):
        return ""
    return lines[mark.line][mark.column]


def _check_depth(text: str, path) -> None:
    """ConfigError where the nesting first exceeds MAX_DEPTH (events: no recursion, no construction)."""
    depth = 0
    for event in yaml.parse(text, Loader=_BASE):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise ConfigError(f"{_where(path, event.start_mark)}: lists and mappings nested more than"
                                  f" {MAX_DEPTH} deep (expected: a profile's keys, a few levels deep)")
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _json_pairs(text: str, path):
    def hook(pairs):
        out = {}
        for key, value in pairs:
            if key in out:
                hits = [text.count("\n", 0, m.start()) + 1 for m in re.finditer(re.escape(json.dumps(key)) + r"\s*:",
                                                                                  text)]
                line = f", line {hits[1]}" if len(hits) > 1 else ""
                raise ConfigError(f"config file '{path}'{line}: key {key!r} given twice (expected each key once:"
                                  " JSON would keep only the last)")
            out[key] = value
        return out
    return hook


def parse(text: str, path) -> object:
    """The data of a YAML or JSON text, read strictly; ``path`` names it in errors."""
    if text.lstrip().startswith("{"):  # JSON, as Snakemake tries first
        try:
            return json.loads(text, object_pairs_hook=_json_pairs(text, path))
        except RecursionError:
            raise ConfigError(f"config file '{path}': nested too deep (expected: a profile's keys,"
                              " a few levels deep)") from None
        except ValueError as err:
            if isinstance(err, ConfigError):
                raise
    try:
        _check_depth(text, path)
        return yaml.load(text, Loader=StrictLoader)
    except yaml.MarkedYAMLError as err:
        context = f" ({err.context})" if err.context and not isinstance(err, _Duplicate) else ""
        hint = " (a tab: YAML indents with spaces only)" if _char_at(text, err.problem_mark) == "\t" else ""
        raise ConfigError(f"{_where(path, err.problem_mark)}: {err.problem}{context}{hint}") from None
    except yaml.YAMLError as err:
        raise ConfigError(f"{_where(path, None)}: not valid YAML ({err})") from None


def read(path) -> dict:
    """A profile (or config.yaml) as a mapping, read strictly: ConfigError in one line naming
    the file (and line and column) when it is missing, unreadable, not YAML or JSON, nested
    deeper than MAX_DEPTH, gives a key twice, asks for templating, or is not a mapping."""
    try:
        size = Path(path).stat().st_size
        if size > MAX_BYTES:
            raise ConfigError(f"config file '{path}': {size / 2**20:.1f} MiB, above the {MAX_BYTES // 2**20} MiB a"
                              " profile may have (expected: the values that differ from config.yaml, a few kB)")
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file '{path}': no such file") from None
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"config file '{path}': cannot be read ({err})") from None
    raw = parse(text, path)
    if not isinstance(raw, dict):
        raise ConfigError(f"config file '{path}': expected a mapping of keys at top level")
    if TEMPLATE_KEY in raw:
        raise ConfigError(f"config file '{path}': {TEMPLATE_KEY} asks for YAML templating, which runs the file's"
                          " expressions as Python; a profile is data (expected: the values written out, without"
                          f" {TEMPLATE_KEY})")
    return raw
