"""What the CLI knows of its own options: the command tree walked, and settings applied to it."""

from collections.abc import Iterator, Mapping
from typing import Any

from breeze.core.config import DEFAULT, FILE, REMEMBERED, OptionFacts, Setting, option_key

# Arguments that take their default from an option's key (verify checks the tag you build).
_ARGUMENT_KEYS = {"image": "image-tag"}


def iter_commands(
    command: Any, path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every (path, command) of the tree, groups included."""
    yield path, command
    for name, sub in sorted(getattr(command, "commands", {}).items()):
        yield from iter_commands(sub, (*path, name))


def iter_options(command: Any) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every (command path, parameter) that breeze.toml may set."""
    for path, node in iter_commands(command):
        for param in getattr(node, "params", []):
            kind = getattr(param, "param_type_name", "")
            option = kind == "option" and not getattr(param, "is_eager", False)
            if option or (kind == "argument" and param.name in _ARGUMENT_KEYS):
                yield path, param


def param_key(param: Any) -> str:
    """The config key of a parameter: its long option name, or the option an argument follows."""
    if getattr(param, "param_type_name", "") == "argument":
        return _ARGUMENT_KEYS[param.name]
    return option_key([*param.opts, *param.secondary_opts])


def command_facts(root: Any) -> dict[tuple[str, ...], dict[str, Any]]:
    """What the config needs to know of each option key, per command path (groups included)."""
    commands: dict[tuple[str, ...], dict[str, OptionFacts]] = {
        path: {} for path, _ in iter_commands(root)
    }
    for path, param in iter_options(root):
        descriptor = getattr(param, "type_descriptor", None)
        choices = getattr(descriptor, "choices", None) or ()
        commands[path][param_key(param)] = OptionFacts(
            key=param_key(param),
            envvar=param.envvar if isinstance(param.envvar, str) else None,
            default=param.default,
            choices=tuple(str(choice) for choice in choices),
            multiple=bool(param.multiple),
            flag=bool(getattr(param, "is_flag", False)),
        )
    return commands


def apply_settings(
    root: Any, settings: Mapping[tuple[tuple[str, ...], str], Setting]
) -> dict[str, Any]:
    """The default_map of the settings; each option's help shows its value's source."""
    default_map: dict[str, Any] = {}
    for path, param in iter_options(root):
        setting = settings[path, param_key(param)]
        if setting.source == DEFAULT:
            continue
        param.show_default = f"{show_value(setting.value)} from {setting.where}"
        if setting.source in (FILE, REMEMBERED):
            # named in errors about the value (breeze.cli.options.value_source)
            remembered = "your remembered choices, shown by `breeze setup config`"
            param.breeze_source = remembered if setting.source == REMEMBERED else setting.where
            node = default_map
            for part in path:
                node = node.setdefault(part, {})
            node[param.name] = [setting.value] if param.multiple else setting.value
    return default_map


def show_value(value: Any) -> str:
    """A value as the user writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return "-" if value is None else str(value)
