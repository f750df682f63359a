"""A round-robin TCP proxy on loopback: each new connection goes to the next backend, as a load balancer would.

Clients in the tests open one connection per HTTP request (urllib), so round-robin per connection is round-robin per
message. It counts connections per backend so a test can show that both servers took traffic.
"""

from __future__ import annotations

import itertools
import socket
import threading
from collections import Counter


class RoundRobinProxy:
    def __init__(self, backends: list[tuple[str, int]]) -> None:
        self.backends = backends
        self._next = itertools.cycle(range(len(backends)))
        self._lock = threading.Lock()
        self.connections: Counter[int] = Counter()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._closed = False
        threading.Thread(target=self._accept, name="round-robin-proxy", daemon=True).start()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            with self._lock:
                index = next(self._next)
                self.connections[index] += 1
            try:
                upstream = socket.create_connection(self.backends[index], timeout=10)
            except OSError:
                client.close()  # a dead backend: the client sees a reset, as behind a real balancer without checks
                continue
            upstream.settimeout(None)
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, target), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def close(self) -> None:
        self._closed = True
        self._listener.close()
