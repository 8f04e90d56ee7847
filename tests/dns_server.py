"""A real DNS server on 127.0.0.1 (UDP, a free port) serving TXT records, for DKIM key look-ups.

dkimpy (what b4 verifies DKIM with) asks dnspython's default resolver; ``serving(records)``
points that resolver at this server for the duration, the way b4's own
``b4.attestation-dns-resolvers`` setting points it at the user's resolvers (only the port differs:
53 needs root). Answers are built with dnspython; unknown names get NXDOMAIN.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.resolver
import dns.rrset


class TxtServer:
    def __init__(self, records: dict[str, str]):
        self.records = {k.rstrip(".").lower(): v for k, v in records.items()}
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.queries: list[str] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def start(self) -> TxtServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.sock.close()

    def serve_forever(self) -> None:
        self._serve()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                data, peer = self.sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            try:
                query = dns.message.from_wire(data)
            except Exception:  # noqa: BLE001 - garbage on the socket: ignore it
                continue
            response = dns.message.make_response(query)
            response.flags |= dns.flags.AA
            for question in query.question:
                name = question.name.to_text().rstrip(".").lower()
                self.queries.append(name)
                value = self.records.get(name)
                if value is None or question.rdtype != dns.rdatatype.TXT:
                    response.set_rcode(dns.rcode.NXDOMAIN)
                    continue
                chunks = " ".join(
                    f'"{value[i : i + 200]}"' for i in range(0, len(value), 200)
                )  # TXT strings are at most 255 bytes each
                response.answer.append(dns.rrset.from_text(question.name, 60, "IN", "TXT", chunks))
            self.sock.sendto(response.to_wire(), peer)


@contextmanager
def _resolving_at(port: int) -> Iterator[None]:
    saved = dns.resolver.default_resolver
    resolver = dns.resolver.Resolver(configure=False)
    resolver.nameservers = ["127.0.0.1"]
    resolver.port = port
    resolver.lifetime = 3
    dns.resolver.default_resolver = resolver
    try:
        yield
    finally:
        dns.resolver.default_resolver = saved


@contextmanager
def serving(records: dict[str, str]) -> Iterator[TxtServer]:
    """Run a TxtServer and make it dnspython's (so dkimpy's and b4's) resolver meanwhile."""
    server = TxtServer(records).start()
    try:
        with _resolving_at(server.port):
            yield server
    finally:
        server.stop()


@contextmanager
def serving_nothing() -> Iterator[int]:
    """An empty TxtServer (every name: NXDOMAIN) in a child process, the resolver meanwhile.

    A process, not a thread, so the test process keeps one thread: the flag-model check forks
    its workers only from a process with no other thread (reviewer/flagmodel/check_jobs.py)."""
    root = Path(__file__).resolve().parent.parent
    child = subprocess.Popen(
        [sys.executable, "-m", "tests.dns_server"], cwd=root, stdout=subprocess.PIPE, text=True
    )
    try:
        assert child.stdout is not None
        port = int(child.stdout.readline())
        with _resolving_at(port):
            yield port
    finally:
        child.kill()
        child.wait()


if __name__ == "__main__":  # the child of serving_nothing(): print the port, serve until killed
    _server = TxtServer({})
    print(_server.port, flush=True)
    _server.serve_forever()
