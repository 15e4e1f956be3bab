"""Secrets (bearer tokens) come from the environment or a file, never from a command line.

Any local user can read every process's arguments (``ps``, /proc/<pid>/cmdline), so a token
given as ``--token=...`` is public on a shared host. Commands take ``--token-file PATH`` or an
environment variable instead; a ``--token`` value is refused with a message saying so. Lives
outside ``broker`` and ``fake_gateway`` because both use it and neither may import the other.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import Any, Sequence

MAX_SECRET_FILE = 4096  # a token file is one line; anything bigger is the wrong file


class SecretError(ValueError):
    """A token file that cannot be used; the message names it."""


def read_secret(env_name: str, path: str | None) -> str | None:
    """The token from ``path`` (first line, stripped) if given, else ``$env_name``; None: no token."""
    if path is not None:
        file = Path(path)
        try:
            with open(file, "rb") as handle:
                data = handle.read(MAX_SECRET_FILE + 1)
        except OSError as exc:
            raise SecretError(f"cannot read token file {file}: {exc.strerror or exc}") from None
        if len(data) > MAX_SECRET_FILE:
            raise SecretError(f"token file {file} is over {MAX_SECRET_FILE} bytes; it should hold one line")
        lines = data.decode("utf-8", "replace").splitlines()
        token = lines[0].strip() if lines else ""
        if not token:
            raise SecretError(f"token file {file} is empty")
        return token
    value = os.environ.get(env_name)
    if value is not None and not value.strip():
        raise SecretError(f"${env_name} is set but empty; unset it or give it a token")
    return value.strip() if value is not None else None


class _RefuseInArgv(argparse.Action):
    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: str | Sequence[Any] | None, option_string: str | None = None) -> None:
        parser.error(f"{option_string} would put the token in the process list (ps shows every argument); "
                     f"set {self.metavar} in the environment or use --token-file PATH")


def add_token_arguments(parser: argparse.ArgumentParser, env_name: str, what: str) -> None:
    """``--token-file PATH``; and ``--token`` (kept so old commands fail with a clear message)."""
    parser.add_argument("--token-file", default=None,
                        help=f"file whose first line is the {what} (default: ${env_name})")
    parser.add_argument("--token", action=_RefuseInArgv, metavar=env_name, help=argparse.SUPPRESS)
