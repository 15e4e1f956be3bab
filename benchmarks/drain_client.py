"""A plain-socket TWS client that subscribes to AAPL and counts frames until the server closes.

Runs in its own process for the gateway-alone tick benchmark, so reading costs the gateway's core
nothing. Prints the number of frames and bytes it read.
"""

from __future__ import annotations

import socket
import struct
import sys

from ib_harness.fake_gateway.wire.framing import API_PREFIX
from ib_harness.fake_gateway.wire.spec import frame_fields, frame_payload

AAPL_REQUEST = ["1", "11", "1", "265598", "AAPL", "STK", "", "0.0", "", "", "SMART", "", "USD", "", "",
                "0", "", "0", "0", ""]


def main(port: int) -> None:
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(API_PREFIX + frame_payload(b"v157..176"))
    sock.sendall(frame_fields(["71", "2", "99", ""]) + frame_fields(AAPL_REQUEST))
    frames = total = 0
    pending = b""
    while True:
        data = sock.recv(1 << 20)
        if not data:
            break
        total += len(data)
        pending += data
        offset = 0
        while len(pending) - offset >= 4:
            (length,) = struct.unpack_from(">I", pending, offset)
            if len(pending) - offset - 4 < length:
                break
            offset += 4 + length
            frames += 1
        pending = pending[offset:]
    print(frames, total, flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
