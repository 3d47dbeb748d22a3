"""The config error every pipeline module raises, and the lookup of a named config entry."""


class ConfigError(ValueError):
    """A config value is missing, unknown or out of range; the message names the key."""


def by_name(items, name, key):
    """The entry of ``items`` called ``name``; ConfigError naming ``key`` if there is none."""
    for item in items:
        if item["name"] == name:
            return item
    raise ConfigError(f"config key '{key}': no entry named {name!r}")
