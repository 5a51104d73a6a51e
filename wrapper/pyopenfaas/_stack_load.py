"""Reading a stack file: substitution, YAML with line numbers, checked fields, selection, environment files."""

from __future__ import annotations

import dataclasses
import os
import re
import warnings
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

import httpx
import yaml

from ._envsubst import substitute
from ._errors import StackError
from ._stack_model import Provider, Resources, Stack, StackConfiguration, StackFunction, TemplateSource, glob_match
from ._validation import check_name

_VERSIONS = ("1.0",)
_PROVIDER = "openfaas"
_URL = re.compile(r"https?://", re.IGNORECASE)
# The Go SDK's fetchYAML gives a stack file 120 seconds; httpx applies this to each phase.
_FETCH_TIMEOUT = httpx.Timeout(120.0)
_MAX_STACK_BYTES = 8 * 1024 * 1024  # a stack file is text a person writes: a bigger answer is not one


class StackWarning(UserWarning):
    """A stack file holds something pyopenfaas does not use (an unknown key): reported, not dropped silently."""


class _File:
    """One YAML file being read: its path (relative paths start in its folder), its name in messages (the
    path, or the URL it came from), and typed readers over its nodes."""

    def __init__(self, path: Path, url: str | None = None) -> None:
        self.path = path
        self.url = url
        self.name = url or str(path)

    def fail(self, message: str, node: yaml.Node | None = None) -> StackError:
        return StackError(message, path=self.name, line=node.start_mark.line + 1 if node else None)

    def compose(self, text: str) -> yaml.Node | None:
        try:
            return yaml.compose(text, Loader=yaml.SafeLoader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            problem = exc.problem or exc.context or "invalid YAML"
            raise StackError(problem, path=self.name, line=mark.line + 1 if mark else None) from None
        except yaml.YAMLError as exc:
            raise StackError(f"invalid YAML: {exc}", path=self.name) from None

    def mapping(self, node: yaml.Node | None, what: str, known: tuple[str, ...]) -> dict[str, yaml.Node]:
        """A mapping's entries by key; unknown keys are reported as a `StackWarning`."""
        if node is None or _is_null(node):
            return {}
        if not isinstance(node, yaml.MappingNode):
            raise self.fail(f"{what} must be a mapping", node)
        entries: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                raise self.fail(f"{what} has a key that is not a string", key)
            if key.value in entries:
                raise self.fail(f"{what}.{key.value} is given twice", key)
            if known and key.value not in known:
                line = key.start_mark.line + 1
                warnings.warn(
                    f"{self.name}:{line}: unknown key {what}.{key.value} (ignored)", StackWarning, stacklevel=4
                )
                continue
            entries[key.value] = value
        return entries

    def text(self, node: yaml.Node | None, what: str) -> str | None:
        """A scalar as written (`version: 1.0` is "1.0", `port: 8080` is "8080"), as Go's YAML reads strings."""
        if node is None or _is_null(node):
            return None
        if not isinstance(node, yaml.ScalarNode):
            raise self.fail(f"{what} must be a string", node)
        return str(node.value)

    def flag(self, node: yaml.Node | None, what: str) -> bool:
        if node is None or _is_null(node):
            return False
        if not (isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:bool"):
            raise self.fail(f"{what} must be true or false", node)
        return bool(yaml.SafeLoader("").construct_yaml_bool(node))

    def items(self, node: yaml.Node | None, what: str) -> list[yaml.Node]:
        if node is None or _is_null(node):
            return []
        if not isinstance(node, yaml.SequenceNode):
            raise self.fail(f"{what} must be a list", node)
        return list(node.value)

    def strings(self, node: yaml.Node | None, what: str) -> tuple[str, ...]:
        return tuple(self.text(item, f"{what}[{index}]") or "" for index, item in enumerate(self.items(node, what)))

    def string_map(self, node: yaml.Node | None, what: str) -> dict[str, str]:
        return {key: self.text(value, f"{what}.{key}") or "" for key, value in self.mapping(node, what, ()).items()}


def _is_null(node: yaml.Node) -> bool:
    return node.tag == "tag:yaml.org,2002:null"


def load_stack(
    path: str | os.PathLike[str], *, filter: str | None = None, regex: str | None = None, envsubst: bool = True
) -> Stack:
    """Read a faas-cli stack file: a path, or an `http://` / `https://` URL (fetched with a GET, as the Go
    SDK does; relative paths in it then start in the current folder, where `stack.root` points).

    `${VAR}` and `${VAR:-default}` are replaced from the environment first (unless `envsubst=False`).
    `filter` (a glob where `*` matches anything) or `regex` (searched in each name) selects functions; give one,
    not both; selecting nothing is an error. `environment_file` entries are read relative to the stack file.
    Errors are `StackError`s naming the file and line; unknown keys are reported as `StackWarning`s.
    """
    if filter and regex:
        raise ValueError("give filter or regex, not both")
    matches = _selector(filter, regex)
    if isinstance(path, str) and _URL.match(path):
        source, text = _fetch(path)
    else:
        source = _File(Path(path))
        try:
            text = source.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise StackError(f"cannot read the stack file: {exc}", path=str(source.path)) from None
    if envsubst:
        text = substitute(text, os.environ)
    top = source.mapping(source.compose(text), "stack", ("version", "provider", "functions", "configuration"))

    version = source.text(top.get("version"), "version") or "1.0"
    if version not in _VERSIONS:
        raise source.fail(f"{_VERSIONS} are the only valid versions for the stack file - found: {version}",
                          top.get("version"))  # fmt: skip
    provider = _provider(source, top.get("provider"))
    configuration = _configuration(source, top.get("configuration"))

    functions: dict[str, StackFunction] = {}
    for name, node in source.mapping(top.get("functions"), "functions", ()).items():
        if matches(name):
            functions[name] = _function(source, name, node)
    if (filter or regex) and not functions:
        raise StackError(f"no functions matching {'filter ' + repr(filter) if filter else 'regex ' + repr(regex)}",
                         path=source.name)  # fmt: skip
    return Stack(path=source.path, provider=provider, functions=functions, configuration=configuration,
                 version=version, url=source.url)  # fmt: skip


def _fetch(url: str) -> tuple[_File, str]:
    """A stack file from a URL: a 2xx answer's body (redirects followed, the environment's proxy used), read in
    chunks up to a bound. Messages name the URL without credentials or query."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL as exc:
        raise ValueError(f"invalid stack file URL: {exc}") from None
    if not parsed.host:
        raise ValueError("invalid stack file URL: it names no host")
    shown = str(parsed.copy_with(userinfo=b"", query=None, fragment=None))
    name = PurePosixPath(parsed.path).name
    name = name if name not in ("", ".", "..") else "stack.yaml"
    source = _File(Path.cwd() / name, shown)
    body = bytearray()
    try:
        with httpx.Client(timeout=_FETCH_TIMEOUT, follow_redirects=True) as http, http.stream("GET", parsed) as answer:
            if not answer.is_success:
                raise StackError(f"cannot fetch the stack file: HTTP {answer.status_code} {answer.reason_phrase}",
                                 path=shown)  # fmt: skip
            for chunk in answer.iter_bytes():
                body += chunk
                if len(body) > _MAX_STACK_BYTES:
                    raise StackError(f"the answer is larger than {_MAX_STACK_BYTES} bytes: not a stack file",
                                     path=shown)  # fmt: skip
    except httpx.HTTPError as exc:
        raise StackError(f"cannot fetch the stack file: {type(exc).__name__}: {exc}", path=shown) from None
    try:
        return source, body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StackError(f"the stack file is not UTF-8 text: {exc}", path=shown) from None


def _selector(filter: str | None, regex: str | None) -> Callable[[str], bool]:
    if regex:
        try:
            pattern = re.compile(regex)
        except re.error as exc:
            raise ValueError(f"invalid regex {regex!r}: {exc}") from None
        return lambda name: pattern.search(name) is not None
    if filter:
        return lambda name: glob_match(filter, name)
    return lambda name: True


def _provider(source: _File, node: yaml.Node | None) -> Provider:
    fields = source.mapping(node, "provider", ("name", "gateway", "network"))
    name = source.text(fields.get("name"), "provider.name")
    if name != _PROVIDER:
        raise source.fail(f"['{_PROVIDER}'] is the only valid \"provider.name\", but you gave: {name or ''}",
                          fields.get("name") or node)  # fmt: skip
    return Provider(name=name, gateway=source.text(fields.get("gateway"), "provider.gateway"),
                    network=source.text(fields.get("network"), "provider.network"))  # fmt: skip


def _configuration(source: _File, node: yaml.Node | None) -> StackConfiguration:
    fields = source.mapping(node, "configuration", ("templates", "copy"))
    templates: list[TemplateSource] = []
    for index, entry in enumerate(source.items(fields.get("templates"), "configuration.templates")):
        what = f"configuration.templates[{index}]"
        item = source.mapping(entry, what, ("name", "source"))
        name = source.text(item.get("name"), f"{what}.name")
        if not name:
            raise source.fail(f"{what}.name is required", entry)
        templates.append(TemplateSource(name=name, source=source.text(item.get("source"), f"{what}.source")))
    return StackConfiguration(templates=tuple(templates), copy=source.strings(fields.get("copy"), "configuration.copy"))


def _function(source: _File, name: str, node: yaml.Node) -> StackFunction:
    what = f"functions.{name}"
    try:
        check_name(name)
    except (TypeError, ValueError) as exc:
        raise source.fail(str(exc), node) from None
    f = source.mapping(node, what, tuple(field.name for field in _FUNCTION_FIELDS))
    read = {field.name: _READERS[str(field.type)](source, f.get(field.name), f"{what}.{field.name}")
            for field in _FUNCTION_FIELDS}  # fmt: skip
    if not read["image"]:
        raise source.fail(f"{what}.image is required", node)
    for file in read["environment_file"]:
        read["environment"].update(_environment_file(source.path.parent / file))
    return StackFunction(name=name, **read)


def _resources(source: _File, node: yaml.Node | None, what: str) -> Resources | None:
    if node is None or _is_null(node):
        return None
    fields = source.mapping(node, what, ("memory", "cpu"))
    return Resources(memory=source.text(fields.get("memory"), f"{what}.memory"),
                     cpu=source.text(fields.get("cpu"), f"{what}.cpu"))  # fmt: skip


# Each field of a stack function (but its name) is read as its type says (the annotations are strings).
_FUNCTION_FIELDS = dataclasses.fields(StackFunction)[1:]
_READERS: dict[str, Callable[[_File, yaml.Node | None, str], Any]] = {
    "str": _File.text, "str | None": _File.text, "bool": _File.flag, "tuple[str, ...]": _File.strings,
    "dict[str, str]": _File.string_map, "Resources | None": _resources,
}  # fmt: skip


def _environment_file(path: Path) -> Mapping[str, str]:
    """The `environment:` map of one environment file (substitution is not applied, as in faas-cli)."""
    source = _File(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StackError(f"cannot read the environment file: {exc}", path=str(path)) from None
    top = source.mapping(source.compose(text), "environment file", ("environment",))
    return source.string_map(top.get("environment"), "environment")
