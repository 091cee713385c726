#!/usr/bin/env python3
"""Checks editors/helix/languages.toml and drives lexls the way Helix does.

    python3 editors/helix/test/smoke.py --bin "$LEXLS_BIN"          # full check
    python3 editors/helix/test/smoke.py --bin "$LEXLS_BIN" --probe  # initialize only

The full check:
  1. parses languages.toml (tomllib) and checks the [language-server.lexls]
     entry (command "lexls", args ["server"]) and that it is attached to
     markdown (next to Helix's default markdown servers) and to a text language;
  2. starts `$LEXLS_BIN <args from the file>` over stdio and, like Helix,
     sends the `config` table as initializationOptions and again in
     workspace/didChangeConfiguration, opens the fixture article with the
     text language's language id and waits for publishDiagnostics: the
     misspelling ASEANPOL must be flagged and, with entity-hints = true,
     mentions must come as hint-level diagnostics (Helix has no semantic
     tokens; this is its substitute);
  3. shuts the server down (shutdown + exit) and expects exit status 0.

Prints PASS/FAIL lines and "N passed, M failed"; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys
import tomllib

HERE = pathlib.Path(__file__).resolve().parent
EDITORS = HERE.parent.parent
sys.path.insert(0, str(EDITORS / "test"))
from lsp_client import Lsp, Report, covered_text, wait_for_diagnostics  # noqa: E402

DEFAULT_TOML = EDITORS / "helix" / "languages.toml"
DEFAULT_ARTICLE = EDITORS / "nvim" / "test" / "article.txt"
# Helix's own markdown servers (helix-editor/helix languages.toml).
HELIX_MARKDOWN_SERVERS = {"marksman", "markdown-oxide"}


def server_names(language: dict) -> list[str]:
    names = []
    for entry in language.get("language-servers", []):
        names.append(entry if isinstance(entry, str) else entry.get("name", ""))
    return names


def file_types(language: dict) -> list[str]:
    out = []
    for ft in language.get("file-types", []):
        out.append(ft if isinstance(ft, str) else ft.get("glob", ft.get("suffix", "")))
    return out


def check_toml(path: pathlib.Path, r: Report) -> tuple[dict, dict] | None:
    try:
        with open(path, "rb") as f:
            doc = tomllib.load(f)
    except (OSError, tomllib.TOMLDecodeError) as e:
        r.bad(f"parse {path}", str(e))
        return None
    r.ok(f"parse {path.name}")
    server = doc.get("language-server", {}).get("lexls")
    if not r.check(isinstance(server, dict), "[language-server.lexls] exists"):
        return None
    r.check(server.get("command") == "lexls", 'command = "lexls"', repr(server.get("command")))
    r.check(server.get("args") == ["server"], 'args = ["server"]', repr(server.get("args")))
    config = server.get("config", {})
    r.check(config.get("entity-hints") is True, "config has entity-hints = true", repr(config))

    languages = {lang.get("name"): lang for lang in doc.get("language", [])}
    md = languages.get("markdown")
    if r.check(md is not None and "lexls" in server_names(md), "lexls attached to markdown"):
        missing = HELIX_MARKDOWN_SERVERS - set(server_names(md))
        r.check(not missing, "markdown keeps Helix's default servers", f"missing {sorted(missing)}")
    text = next(
        (lang for lang in languages.values() if "txt" in file_types(lang) and "lexls" in server_names(lang)),
        None,
    )
    if r.check(text is not None, "lexls attached to a language for *.txt"):
        r.check(bool(text.get("scope")), f'text language "{text.get("name")}" has a scope')
    return server, text or {}


def client_capabilities() -> dict:
    # Roughly what Helix announces; no semantic tokens, no pull diagnostics.
    return {
        "general": {"positionEncodings": ["utf-8", "utf-32", "utf-16"]},
        "workspace": {
            "configuration": True,
            "didChangeConfiguration": {"dynamicRegistration": False},
            "workspaceFolders": True,
            "symbol": {"dynamicRegistration": False},
        },
        "textDocument": {
            "hover": {"contentFormat": ["markdown"]},
            "definition": {"linkSupport": True},
            "declaration": {"linkSupport": True},
            "references": {},
            "documentHighlight": {},
            "documentSymbol": {"hierarchicalDocumentSymbolSupport": True},
            "completion": {"completionItem": {"snippetSupport": True}},
            "codeAction": {
                "codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["", "quickfix", "source"]}},
                "isPreferredSupport": True,
            },
            "inlayHint": {"dynamicRegistration": False},
            "publishDiagnostics": {"versionSupport": True, "tagSupport": {"valueSet": [1, 2]}},
        },
        "window": {"workDoneProgress": True},
    }


def run_server(bin_path: str, server: dict, text_lang: dict, article: pathlib.Path, probe: bool, r: Report) -> None:
    cmd = [bin_path] + list(server.get("args", ["server"]))
    config = server.get("config", {})
    root = EDITORS.parent

    def responder(msg: dict):
        if msg["method"] == "workspace/configuration":
            # Helix answers with the `config` value at the item's section.
            out = []
            for item in msg["params"].get("items", []):
                section = item.get("section")
                value = config
                for part in (section.split(".") if section else []):
                    value = value.get(part) if isinstance(value, dict) else None
                out.append(value)
            return out
        return None

    print(f"  starting: {' '.join(cmd)}", flush=True)
    lsp = Lsp(cmd, str(root), responder)
    try:
        resp = lsp.request(
            "initialize",
            {
                "processId": os.getpid(),
                "clientInfo": {"name": "helix-smoke", "version": "0"},
                "rootUri": root.as_uri(),
                "rootPath": str(root),
                "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
                "capabilities": client_capabilities(),
                "initializationOptions": config,
            },
            timeout=30,
        )
        caps = resp.get("result", {}).get("capabilities")
        if not r.check(isinstance(caps, dict), "server answers initialize with the Helix args",
                       json.dumps(resp.get("error", resp))[:500]):
            return
        info = resp["result"].get("serverInfo", {})
        print(f"  serverInfo: {info.get('name', '?')} {info.get('version', '')}", flush=True)
        lsp.notify("initialized", {})
        lsp.notify("workspace/didChangeConfiguration", {"settings": config})

        if not probe:
            for cap in ["hoverProvider", "definitionProvider", "referencesProvider",
                        "documentHighlightProvider", "inlayHintProvider", "codeActionProvider"]:
                r.check(bool(caps.get(cap)), f"server advertises {cap} (used by Helix)")
            check_diagnostics(lsp, caps, text_lang, article, r)

        resp = lsp.request("shutdown", None)
        r.check("error" not in resp, "shutdown answered", json.dumps(resp.get("error")))
        lsp.notify("exit", None)
        try:
            code = lsp.proc.wait(timeout=10)
            r.check(code == 0, "server exits with status 0 after exit", f"status {code}")
        except subprocess.TimeoutExpired:
            r.bad("server exits after exit", "still running after 10 s")
    except (TimeoutError, OSError) as e:
        r.bad("LSP session", f"{e}\n--- server stderr ---\n{lsp.stderr_tail()}")
    finally:
        lsp.kill()


def check_diagnostics(lsp: Lsp, caps: dict, text_lang: dict, article: pathlib.Path, r: Report) -> None:
    encoding = caps.get("positionEncoding", "utf-16")
    text = article.read_text(encoding="utf-8")
    lines = text.split("\n")
    uri = article.resolve().as_uri()
    lsp.notify("textDocument/didOpen", {"textDocument": {
        "uri": uri,
        "languageId": text_lang.get("language-id", text_lang.get("name", "text")),
        "version": 1,
        "text": text,
    }})

    def covered(d: dict) -> str:
        return covered_text(lines, d, encoding)

    def satisfied(diags: list) -> tuple[bool, bool]:
        misspelt = any("ASEANPOL" in d.get("message", "") or "ASEANAPOL" in d.get("message", "")
                       or covered(d) == "ASEANPOL" for d in diags)
        hint_mention = any(d.get("severity") == 4 and covered(d) == "AMIC" for d in diags)
        return misspelt, hint_mention

    latest = wait_for_diagnostics(lsp, uri, lambda ds: all(satisfied(ds)))
    misspelt, hint_mention = satisfied(latest)
    summary = "; ".join(f"{d.get('severity')}:{covered(d)!r}:{d.get('message', '')[:60]}" for d in latest[:12])
    r.check(misspelt, "diagnostic flags ASEANPOL", f"{len(latest)} diagnostics: {summary}")
    r.check(hint_mention, "entity-hints: AMIC mention published as a hint diagnostic",
            f"{len(latest)} diagnostics: {summary}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.environ.get("LEXLS_BIN"), help="lexls binary (default $LEXLS_BIN)")
    ap.add_argument("--languages", type=pathlib.Path, default=DEFAULT_TOML)
    ap.add_argument("--article", type=pathlib.Path, default=DEFAULT_ARTICLE)
    ap.add_argument("--probe", action="store_true", help="only check that the server answers initialize")
    args = ap.parse_args()

    r = Report()
    checked = check_toml(args.languages, r)
    if checked is None:
        return r.finish()
    server, text_lang = checked
    if not args.bin or not os.access(args.bin, os.X_OK):
        r.bad("lexls binary is executable", f"{args.bin!r} (set --bin or LEXLS_BIN)")
        return r.finish()
    run_server(args.bin, server, text_lang, args.article, args.probe, r)
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
