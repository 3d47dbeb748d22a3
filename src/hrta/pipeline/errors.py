"""The config error every pipeline module raises, the key path it names, and the lookup of a
named config entry."""


class ConfigError(ValueError):
    """A config value is missing, unknown or out of range; the message names the key."""


def key_of(path) -> str:
    """A config key path as written in messages: ('experiments', 'sin1d', 'widths', 1) ->
    'experiments.sin1d.widths[1]'."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<top level>"


def by_name(items, name, key):
    """The entry of ``items`` called ``name``; ConfigError naming ``key`` if there is none."""
    for item in items:
        if item["name"] == name:
            return item
    raise ConfigError(f"config key '{key}': no entry named {name!r}")
