"""A fault-injecting HTTP proxy between a kiosk and the hub, for the sync tests.

FaultProxy sits between a kiosk and the hub on loopback. It reads one HTTP request per
connection and, following its plan (one fault per request, then clean), does one of:
  pass           forward, relay the answer
  drop           close the kiosk's connection; the hub never sees the request
  delay          wait `delay` seconds, then forward and relay (longer than the kiosk's
                 timeout: the kiosk gives up and retries, the hub gets the old one late)
  duplicate      forward twice, relay the second answer
  reorder        hold the request, close the kiosk's connection; the held request is
                 delivered after the next ones (old batches arrive after newer ones)
  cut_body       forward the headers and half of the body, then close both sides
  cut_response   forward, relay half of the answer, close
  drop_response  forward (the hub stores it), close the kiosk's connection unanswered
  kill_kiosk     forward, then call `on_kill` (the test SIGKILLs the kiosk) before answering
"""

import random
import re
import socket
import threading
import time

FAULTS = ("pass", "drop", "delay", "duplicate", "reorder", "cut_body", "cut_response", "drop_response")


def _read_request(sock):
    """One HTTP request (headers and Content-Length body) as bytes, or None."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    match = re.search(rb"(?im)^content-length:\s*(\d+)", head)
    length = int(match.group(1)) if match else 0
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        body += chunk
    # One request per connection, so that each fault hits one request.
    head = re.sub(rb"(?im)^connection:.*$", b"Connection: close", head)
    return head + b"\r\n\r\n" + body


class FaultProxy:
    """A loopback proxy to `target_port` that plays its plan of faults, one per request."""

    def __init__(self, target_port, plan=(), delay=1.5, on_kill=None):
        self.target = ("127.0.0.1", target_port)
        self.plan = list(plan)
        self.delay = delay
        self.on_kill = on_kill
        self.lock = threading.Lock()
        self.held = []
        self.seen = []  # (fault, outcome)
        self.in_flight = 0  # requests read and not yet answered, dropped or held
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(64)
        self.port = self.server.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def faults_left(self):
        """How many planned faults have not been played yet."""
        with self.lock:
            return len(self.plan)

    def _next(self):
        with self.lock:
            return self.plan.pop(0) if self.plan else "pass"

    def _accept(self):
        while not self.closed:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _upstream(self, data, cut_at=None):
        """Send `data` to the hub; the whole answer as bytes (b"" when the hub is down)."""
        try:
            with socket.create_connection(self.target, timeout=10) as up:
                if cut_at is not None:
                    up.sendall(data[:cut_at])
                    return b""
                up.sendall(data)
                chunks = []
                while True:
                    chunk = up.recv(65536)
                    if not chunk:
                        break
                    chunks.append(chunk)
                return b"".join(chunks)
        except OSError:
            return b""

    def _handle(self, conn):
        with conn:
            conn.settimeout(10)
            try:
                request = _read_request(conn)
            except OSError:
                return
            if request is None:
                return
            with self.lock:
                self.in_flight += 1
            try:
                fault = self._next()
                outcome = self._apply(fault, conn, request)
                with self.lock:
                    self.seen.append((fault, outcome))
                if fault == "pass":
                    self.flush()
            finally:
                with self.lock:
                    self.in_flight -= 1

    def _apply(self, fault, conn, request):
        if fault == "drop":
            return "dropped"
        if fault == "reorder":
            with self.lock:
                self.held.append(request)
            return "held"
        if fault == "cut_body":
            body_at = request.index(b"\r\n\r\n") + 4
            self._upstream(request, cut_at=body_at + max(1, (len(request) - body_at) // 2))
            return "cut"
        if fault == "delay":
            time.sleep(self.delay)
        if fault == "duplicate":
            self._upstream(request)
        answer = self._upstream(request)
        if not answer:
            return "hub down"
        if fault == "drop_response":
            return "answer dropped"
        if fault == "kill_kiosk" and self.on_kill:
            self.on_kill()
            return "kiosk killed"
        try:
            if fault == "cut_response":
                conn.sendall(answer[: len(answer) // 2])
                return "answer cut"
            conn.sendall(answer)
        except OSError:
            return "kiosk gone"
        return "relayed"

    @property
    def idle(self):
        """No request on its way through the proxy (delayed ones included) and none held back."""
        with self.lock:
            return self.in_flight == 0 and not self.held

    def flush(self):
        """Deliver the held (reordered) requests now, after the newer ones."""
        with self.lock:
            held, self.held = self.held, []
        for request in held:
            self._upstream(request)

    def close(self):
        """Stop accepting connections."""
        self.closed = True
        self.server.close()


def random_plan(seed, length, faults=FAULTS[1:]):
    """A reproducible plan of `length` faults, with some clean passes between them."""
    rnd = random.Random(seed)
    plan = []
    for _ in range(length):
        plan.append(rnd.choice(faults))
        if rnd.random() < 0.4:
            plan.append("pass")
    return plan
