"""``ib-harness validate | head -1``: a reader that stops early ends the command quietly, not with a traceback."""

from __future__ import annotations

import subprocess
import sys


def test_a_closed_pipe_ends_the_command_without_a_traceback() -> None:
    command = subprocess.Popen([sys.executable, "-m", "ib_harness", "validate"], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
    assert command.stdout is not None and command.stderr is not None
    command.stdout.close()  # the reader goes away before the first line (`head` after its lines), so writing fails
    err = command.stderr.read().decode()
    command.wait(timeout=60)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
