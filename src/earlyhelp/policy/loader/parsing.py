"""Reading a policy file: TOML to a shape-checked ``Policy``, errors said plainly.

``load_policy`` reads a TOML file and returns a ``Policy`` or raises ``PolicyError``. Every
error names the file, the dotted key path (``agreements[2].categories[0]``) and the rule
broken, in words; pydantic's own report is translated, never shown raw. The rules across the
file are ``cross_checks``.
"""

from __future__ import annotations

import difflib
import tomllib
import types
import typing
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from earlyhelp.policy.loader.cross_checks import PolicyIssue, validate_policy
from earlyhelp.policy.schema import EMAIL_PATTERN, ID_PATTERN, Policy


class PolicyError(Exception):
    """A policy file could not be used. ``errors`` lists every problem found."""

    def __init__(self, errors: Iterable[PolicyIssue]) -> None:
        self.errors: list[PolicyIssue] = list(errors)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.errors)
        heading = f"{count} problem{'s' if count != 1 else ''} in the policy:"
        return "\n".join([heading, *(f"  {error}" for error in self.errors)])


def load_policy(path: str | Path) -> Policy:
    """Read, shape-check and cross-check a policy file."""
    file = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise PolicyError([PolicyIssue(file, "", "the file does not exist")]) from None
    except UnicodeDecodeError:
        raise PolicyError([PolicyIssue(file, "", "the file is not UTF-8 text")]) from None
    except OSError as exc:
        raise PolicyError(
            [PolicyIssue(file, "", f"the file cannot be read ({exc.strerror})")]
        ) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError([PolicyIssue(file, "", f"the file is not valid TOML: {exc}")]) from None
    return policy_from_dict(data, source=file)


def policy_from_dict(data: dict[str, Any], source: str = "<policy>") -> Policy:
    """Build a policy from already-parsed data, with the same checks as ``load_policy``."""
    try:
        policy = Policy.model_validate(data)
    except ValidationError as exc:
        raise PolicyError(
            PolicyIssue(source, _dotted(error["loc"]), _explain(error)) for error in exc.errors()
        ) from None
    issues = validate_policy(policy, source)
    if issues:
        raise PolicyError(issues)
    return policy


def _dotted(loc: Iterable[int | str]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def _shown(value: Any) -> str:
    if isinstance(value, str | int | float | bool | date):
        text = repr(value)
        return text if len(text) <= 60 else text[:57] + "..."
    return ""


def _explain(error: Any) -> str:
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = _shown(error.get("input"))
    got_text = f" (got {got})" if got else ""
    if kind == "missing":
        return "is required but missing"
    if kind == "extra_forbidden":
        return _unknown_key(error["loc"])
    if kind == "literal_error":
        return f"must be one of {ctx.get('expected')}{got_text}"
    if kind == "string_pattern_mismatch":
        if ctx.get("pattern") == ID_PATTERN:
            return (
                "must be a kebab-case id: lower-case letters and digits joined by single "
                f"hyphens, e.g. 'family-support'{got_text}"
            )
        if ctx.get("pattern") == EMAIL_PATTERN:
            return f"must be an email address{got_text}"
        return f"is not in the expected form{got_text}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        minimum = ctx.get("min_length", 1)
        return f"must list at least {minimum} item{'s' if minimum != 1 else ''}"
    if kind == "string_type":
        return f"must be text in quotes{got_text}"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        return f"must be a whole number{got_text}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"must be true or false{got_text}"
    if kind.startswith("date"):
        return f"must be a date written like 2025-03-31, without quotes{got_text}"
    if kind in {"list_type", "tuple_type"}:
        return "must be a list, written [ ... ]"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"must be a table{got_text}"
    if kind == "greater_than_equal":
        return f"must be at least {ctx.get('ge')}{got_text}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    return f"{error['msg']}{got_text}"


def _unknown_key(loc: tuple[int | str, ...]) -> str:
    key = str(loc[-1])
    model = _model_at(loc[:-1])
    if model is None:
        return f"'{key}' is not a key this policy format knows"
    known = list(model.model_fields)
    close = difflib.get_close_matches(key, known, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else f"; known keys: {', '.join(known)}"
    return f"'{key}' is not a key allowed here{hint}"


def _model_at(loc: tuple[int | str, ...]) -> type[BaseModel] | None:
    """The model class found by walking ``loc`` down from ``Policy``."""
    current: Any = Policy
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(current, type) and issubclass(current, BaseModel)):
            return None
        field = current.model_fields.get(part)
        if field is None:
            return None
        current = _inner_model(field.annotation)
    return current if isinstance(current, type) and issubclass(current, BaseModel) else None


def _inner_model(annotation: Any) -> Any:
    """Unwrap list[...] and ``X | None`` down to a model class, if there is one."""
    origin = typing.get_origin(annotation)
    if origin in (list, typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            inner = _inner_model(arg)
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                return inner
    return annotation
