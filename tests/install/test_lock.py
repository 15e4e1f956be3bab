"""requirements/ci.lock, which CI installs from, pins every dependency pyproject.toml names (core and
every extra) at a version the requirement accepts, with hashes: a dependency added without
`make lock` fails here instead of on a fresh CI machine."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
LOCK = ROOT / "requirements" / "ci.lock"


def pinned() -> dict[str, str]:
    return {canonicalize_name(name): version
            for name, version in re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", LOCK.read_text(), re.M)}


def declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    texts = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        texts += extra
    return [req for req in map(Requirement, texts) if canonicalize_name(req.name) != "ib-harness"]


def test_every_declared_dependency_is_pinned_at_an_accepted_version() -> None:
    pins = pinned()
    wrong = [f"{req}: {pins.get(canonicalize_name(req.name), 'not in the lock')}" for req in declared()
             if canonicalize_name(req.name) not in pins or pins[canonicalize_name(req.name)] not in req.specifier]
    assert wrong == [], "run `make lock` and commit requirements/ci.lock"


def test_every_pin_has_a_hash_and_the_fixed_protobuf() -> None:
    blocks = re.split(r"\n(?=[A-Za-z0-9])", LOCK.read_text().split("\n", 2)[2])
    assert blocks and all("--hash=sha256:" in block for block in blocks if "==" in block)
    assert tuple(int(p) for p in pinned()["protobuf"].split(".")[:3]) >= (5, 29, 6)  # CVE-2026-0994
