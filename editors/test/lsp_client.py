"""A minimal LSP client over a subprocess's stdio, and a PASS/FAIL reporter.

Shared by the editor checks in .ci/editors.sh (editors/helix/test/smoke.py,
editors/vscode/test/server_settings.py). Standard library only.
"""

from __future__ import annotations

import json
import queue
import subprocess
import tempfile
import threading
import time


class Report:
    def __init__(self) -> None:
        self.passed = 0
        self.failed = 0

    def ok(self, name: str) -> None:
        self.passed += 1
        print(f"PASS {name}", flush=True)

    def bad(self, name: str, why: str = "") -> None:
        self.failed += 1
        print(f"FAIL {name}" + (f": {why}" if why else ""), flush=True)

    def check(self, cond: bool, name: str, why: str = "") -> bool:
        (self.ok if cond else lambda n: self.bad(n, why))(name)
        return cond

    def finish(self) -> int:
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return 0 if self.failed == 0 and self.passed > 0 else 1


class Lsp:
    """A minimal LSP client over a subprocess's stdio (Content-Length framing)."""

    def __init__(self, cmd: list[str], cwd: str, responder) -> None:
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            cmd, cwd=cwd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr
        )
        self.responder = responder
        self.next_id = 0
        self.responses: dict[int, dict] = {}
        self.notifications: queue.Queue = queue.Queue()
        self.cond = threading.Condition()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        out = self.proc.stdout
        while True:
            headers = {}
            while True:
                line = out.readline()
                if not line:
                    with self.cond:
                        self.cond.notify_all()
                    return
                line = line.strip()
                if not line:
                    break
                k, _, v = line.decode("ascii").partition(":")
                headers[k.strip().lower()] = v.strip()
            body = out.read(int(headers["content-length"]))
            msg = json.loads(body)
            if "method" in msg and "id" in msg:  # server -> client request
                try:
                    self._send({"jsonrpc": "2.0", "id": msg["id"], "result": self.responder(msg)})
                except OSError:
                    return
            elif "method" in msg:
                self.notifications.put(msg)
            else:
                with self.cond:
                    self.responses[msg["id"]] = msg
                    self.cond.notify_all()

    def _send(self, msg: dict) -> None:
        body = json.dumps(msg).encode()
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def notify(self, method: str, params) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def request(self, method: str, params, timeout: float = 20.0) -> dict:
        self.next_id += 1
        rid = self.next_id
        self._send({"jsonrpc": "2.0", "id": rid, "method": method, "params": params})
        deadline = time.monotonic() + timeout
        with self.cond:
            while rid not in self.responses:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise TimeoutError(f"no response to {method} within {timeout:.0f} s"
                                       + (f" (server exited {self.proc.returncode})" if self.proc.poll() is not None else ""))
                self.cond.wait(min(left, 0.1))
            return self.responses.pop(rid)

    def stderr_tail(self, n: int = 2000) -> str:
        self.stderr.seek(0)
        data = self.stderr.read().decode("utf-8", "replace")
        return data[-n:]

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def wait_for_diagnostics(lsp: Lsp, uri: str, done, timeout: float = 30.0) -> list:
    """Latest diagnostics published for `uri`, as soon as `done(diagnostics)` holds
    (or when `timeout` seconds have passed). Other notifications are dropped."""
    latest: list = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            msg = lsp.notifications.get(timeout=0.2)
        except queue.Empty:
            if lsp.proc.poll() is not None:
                break
            continue
        if msg.get("method") == "textDocument/publishDiagnostics" and msg["params"]["uri"] == uri:
            latest = msg["params"]["diagnostics"]
            if done(latest):
                break
    return latest


def col_to_index(line: str, col: int, encoding: str) -> int:
    """LSP column in `encoding` (utf-8, utf-16, utf-32) -> Python str index."""
    if encoding == "utf-32":
        return col
    units = 0
    for i, ch in enumerate(line):
        if units >= col:
            return i
        units += len(ch.encode("utf-8")) if encoding == "utf-8" else len(ch.encode("utf-16-le")) // 2
    return len(line)


def covered_text(lines: list[str], d: dict, encoding: str) -> str:
    """The text a single-line diagnostic's range covers."""
    s, e = d["range"]["start"], d["range"]["end"]
    if s["line"] != e["line"] or s["line"] >= len(lines):
        return ""
    line = lines[s["line"]]
    return line[col_to_index(line, s["character"], encoding):col_to_index(line, e["character"], encoding)]
