"""Validation problems in words: no raw pydantic text or URL reaches the user, a typo gets a did-you-mean.

Pydantic reports ``Extra inputs are not permitted`` for a misspelt key and lists a Literal's members
for a misspelt value. Here each error becomes ``what is wrong, what was given, what was meant``:
the keys allowed at that place are found by walking the scenario model along the error's
location, and the closest allowed name is offered. YAML's own parser messages (``expected <block
end>, but found '<block mapping start>'``) are explained the same way.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, Iterable, Union

from pydantic import BaseModel

from ib_harness.broker import BrokerSettings
from ib_harness.fake_gateway import GatewayConfig

# dicts in a scenario that are validated as another model (their keys are that model's fields)
SETTINGS_MODELS: dict[tuple[str, ...], type[BaseModel]] = {
    ("gateway", "settings"): GatewayConfig,
    ("broker", "settings"): BrokerSettings,
}


def did_you_mean(word: Any, choices: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest choice, or nothing when none is close."""
    if not isinstance(word, str):
        return ""
    options = list(choices)
    by_case = {choice.lower(): choice for choice in options}
    if word.lower() in by_case:
        return f" (did you mean {by_case[word.lower()]!r}?)"
    typed = word.lower()
    if by_case and len(typed) <= 40:  # one or two slips of the keyboard: the fewest edits wins (APPL -> AAPL)
        edits, nearest = min((_edits(typed, lower), lower) for lower in by_case)
        if edits <= max(1, len(typed) // 4):
            return f" (did you mean {by_case[nearest]!r}?)"
    close = difflib.get_close_matches(typed, list(by_case), n=1, cutoff=0.6)
    return f" (did you mean {by_case[close[0]]!r}?)" if close else ""


def _edits(a: str, b: str) -> int:
    """Damerau-Levenshtein distance (insert, delete, substitute, swap two neighbours)."""
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, char_b in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b))
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def unknown_name(what: str, word: Any, choices: Iterable[str], list_them: bool = True) -> str:
    """``unknown <what> 'word' (did you mean 'x'?); known: a, b, c``."""
    options = sorted(choices)
    known = f"; known: {', '.join(options)}" if list_them and options else ""
    return f"unknown {what} {word!r}{did_you_mean(word, options)}{known}"


def humanize(error: Any, root: type[BaseModel], location: tuple[Any, ...]) -> str:
    """One pydantic error (``errors(include_url=False)`` entry) as a sentence; ``location`` is its path."""
    kind = error["type"]
    given = error.get("input")
    if kind == "extra_forbidden":
        allowed = keys_at(root, location[:-1])
        return unknown_name("key", location[-1], allowed or [])
    if kind == "missing":
        return "required, but missing"
    if kind in ("literal_error", "enum"):
        expected = (error.get("ctx") or {}).get("expected", "")
        choices = [part.strip(" '") for part in expected.replace(" or ", ", ").split(",") if part.strip()]
        return f"{given!r} is not one of {', '.join(choices)}{did_you_mean(given, choices)}"
    if kind in _TYPE_WORDS:
        return f"should be {_TYPE_WORDS[kind]}, got {given!r}"
    message = str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if message.startswith("Input should be"):
        message = "should be" + message.removeprefix("Input should be")
        if not isinstance(given, (dict, list)):
            message += f", got {given!r}"
    return message


_TYPE_WORDS = {
    "float_parsing": "a number", "float_type": "a number", "finite_number": "a finite number",
    "int_parsing": "a whole number", "int_type": "a whole number", "int_from_float": "a whole number",
    "bool_parsing": "true or false", "bool_type": "true or false", "string_type": "text",
    "list_type": "a list ('- item' lines or [a, b])", "dict_type": "a mapping ('key: value' lines)",
    "model_type": "a mapping ('key: value' lines)", "model_attributes_type": "a mapping ('key: value' lines)",
    "datetime_parsing": "a date and time (ISO 8601, e.g. 2026-11-24T10:30:00-05:00)",
    "datetime_type": "a date and time (ISO 8601, e.g. 2026-11-24T10:30:00-05:00)",
}


def keys_at(root: type[BaseModel], location: tuple[Any, ...]) -> list[str] | None:
    """The keys a mapping at ``location`` may hold, walking ``root``'s annotations; None if unknown."""
    current: Any = root
    for depth, part in enumerate(location):
        settings = SETTINGS_MODELS.get(tuple(str(p) for p in location[:depth + 1]))
        current = _step(current, part)
        if settings is not None:
            current = settings
        if current is None:
            return None
    model = _model_in(current)
    return list(model.model_fields) if model is not None else None


def _step(annotation: Any, part: Any) -> Any:
    for option in _options(annotation):
        model = _model_in(option)
        if model is not None and isinstance(part, str) and part in model.model_fields:
            return model.model_fields[part].annotation
        origin = typing.get_origin(option)
        args = typing.get_args(option)
        if isinstance(part, int) and origin in (list, tuple) and args:
            return args[0]
        if isinstance(part, str) and origin is dict and len(args) == 2:
            return args[1]
    return None


def _options(annotation: Any) -> list[Any]:
    origin = typing.get_origin(annotation)
    if origin is Union or isinstance(annotation, types.UnionType):
        return [arg for arg in typing.get_args(annotation) if arg is not type(None)]
    if origin is typing.Annotated:
        return _options(typing.get_args(annotation)[0])
    return [annotation]


def _model_in(annotation: Any) -> type[BaseModel] | None:
    for option in _options(annotation):
        if isinstance(option, type) and issubclass(option, BaseModel):
            return option
    return None


# ----- YAML's own parser messages ----------------------------------------------------------------

_YAML_PROBLEMS = {
    "expected <block end>, but found": "this line is indented differently from the lines above it at "
                                       "the same level (check its spaces)",
    "mapping values are not allowed here": "a 'key: value' where none can start: this line is indented "
                                           "deeper than the key above it expects, or a value holds an "
                                           "unquoted ': ' (quote it)",
    "did not find expected key": "a key was expected here: the line is indented differently from the "
                                 "keys of the same mapping above it",
    "did not find expected '-' indicator": "a list item ('- ...') was expected here: the line is indented "
                                           "differently from the items above it",
    "found character '\\t' that cannot start any token": "a tab character: YAML indents with spaces only",
    "found a tab character": "a tab character: YAML indents with spaces only",
    "found undefined alias": "an alias (*name) with no anchor (&name) defined before it",
}


def explain_yaml_problem(problem: str) -> str:
    """YAML parser wording -> what is wrong, in words (the original kept after a dash for searching)."""
    for start, words in _YAML_PROBLEMS.items():
        if problem.startswith(start):
            return f"{words} — YAML: {problem}"
    return problem
