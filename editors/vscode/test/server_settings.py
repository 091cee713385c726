#!/usr/bin/env python3
"""End-to-end check of the settings path VS Code -> lexls.

    npm test   # compiles out/src/settings.js
    python3 test/server_settings.py --bin "$LEXLS_BIN"

Converts VS Code settings with the extension's own compiled settings module
(out/src/settings.js, run with node), sends the result to a real lexls server
as initializationOptions, and checks that the server applies it:

  * every rule id the extension offers (package.json `lexls.rules`) is accepted:
    all rules are set to "off" except known-misspelling = "error", so the only
    diagnostic left must be the ASEANPOL misspelling, as an error (a server that
    rejects the settings falls back to its defaults, and a rule the extension
    does not list shows up as an extra diagnostic);
  * `lexls.inlayHints = "all"` gives inlay hints;
  * workspace/didChangeConfiguration with the extension's payload
    ({ settings: { lexls: ... } }) is applied: known-misspelling = "hint" makes
    the misspelling a hint and inlayHints = "off" removes the inlay hints.

Prints PASS/FAIL lines and "N passed, M failed"; exits 1 on any failure.
"""

from __future__ import annotations

import argparse
import json
import os
import pathlib
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
EXT = HERE.parent
EDITORS = EXT.parent
sys.path.insert(0, str(EDITORS / "test"))
from lsp_client import Lsp, Report, covered_text, wait_for_diagnostics  # noqa: E402

ARTICLE = EDITORS / "nvim" / "test" / "article.txt"

CONVERT = r"""
const s = require(process.argv[1]);
const editor = JSON.parse(process.argv[2]);
const { settings, warnings } = s.toServerSettings(editor, { workspaceFolder: process.argv[3] });
process.stdout.write(JSON.stringify({ init: settings, change: s.didChangeConfigurationParams(settings), warnings }));
"""


def convert(editor: dict) -> dict:
    module = EXT / "out" / "src" / "settings.js"
    if not module.exists():
        raise SystemExit(f"{module} is missing: run `npm test` (it compiles to out/) first")
    out = subprocess.run(["node", "-e", CONVERT, str(module), json.dumps(editor), str(EDITORS.parent)],
                         check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=os.environ.get("LEXLS_BIN"), help="lexls binary (default $LEXLS_BIN)")
    args = ap.parse_args()
    r = Report()
    if not args.bin or not os.access(args.bin, os.X_OK):
        r.bad("lexls binary is executable", f"{args.bin!r} (set --bin or LEXLS_BIN)")
        return r.finish()

    manifest = json.loads((EXT / "package.json").read_text(encoding="utf-8"))
    rule_ids = list(manifest["contributes"]["configuration"]["properties"]["lexls.rules"]["properties"])
    rules = {rule: "off" for rule in rule_ids}
    rules["known-misspelling"] = "Error"  # normalised to "error" by the extension
    first = convert({"rules": rules, "inlayHints": "all", "entityHints": False, "allow": ["ZZZQ"]})
    r.check(first["warnings"] == [], "extension converts the settings without warnings", repr(first["warnings"]))
    print(f"  initializationOptions: {json.dumps(first['init'])}")
    rules["known-misspelling"] = "hint"
    second = convert({"rules": rules, "inlayHints": "off", "entityHints": False, "allow": ["ZZZQ"]})

    root = EDITORS.parent
    text = ARTICLE.read_text(encoding="utf-8")
    lines = text.split("\n")
    uri = ARTICLE.resolve().as_uri()
    whole = {"start": {"line": 0, "character": 0}, "end": {"line": len(lines), "character": 0}}

    lsp = Lsp([args.bin, "server"], str(root), lambda msg: None)
    try:
        resp = lsp.request("initialize", {
            "processId": os.getpid(),
            "clientInfo": {"name": "Visual Studio Code", "version": "1.82.0"},
            "rootUri": root.as_uri(),
            "workspaceFolders": [{"uri": root.as_uri(), "name": root.name}],
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "workspace": {"configuration": True, "didChangeConfiguration": {"dynamicRegistration": True}},
                "textDocument": {
                    "publishDiagnostics": {"relatedInformation": True, "versionSupport": False},
                    "inlayHint": {"dynamicRegistration": True},
                    "hover": {"contentFormat": ["markdown", "plaintext"]},
                },
            },
            "initializationOptions": first["init"],
        }, timeout=30)
        if not r.check("result" in resp, "server answers initialize", json.dumps(resp.get("error"))):
            return r.finish()
        encoding = resp["result"]["capabilities"].get("positionEncoding", "utf-16")
        lsp.notify("initialized", {})
        lsp.notify("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "plaintext", "version": 1, "text": text}})

        def misspelling(diags: list, severity: int) -> bool:
            return any(covered_text(lines, d, encoding) == "ASEANPOL" and d.get("severity") == severity
                       for d in diags)

        def describe(diags: list) -> str:
            return "; ".join(f"{d.get('code')}/{d.get('severity')}:{covered_text(lines, d, encoding)!r}"
                             for d in diags[:12]) or "none"

        diags = wait_for_diagnostics(lsp, uri, lambda ds: misspelling(ds, 1))
        r.check(misspelling(diags, 1), "rules from initializationOptions applied (ASEANPOL is an error)",
                describe(diags))
        others = [d for d in diags if covered_text(lines, d, encoding) != "ASEANPOL"]
        r.check(not others, "every rule the server reports can be set from VS Code (all others are off)",
                "still reported: " + describe(others) + " -- add these rule ids to lexls.rules in package.json"
                " and RULE_IDS in src/settings.ts")

        hints = lsp.request("textDocument/inlayHint", {"textDocument": {"uri": uri}, "range": whole})
        n = len(hints.get("result") or [])
        r.check(n > 0, f"inlayHints = \"all\" gives inlay hints ({n})", json.dumps(hints)[:300])

        lsp.notify("workspace/didChangeConfiguration", second["change"])
        diags = wait_for_diagnostics(lsp, uri, lambda ds: misspelling(ds, 4))
        r.check(misspelling(diags, 4), "didChangeConfiguration { settings: { lexls } } applied (ASEANPOL is a hint)",
                describe(diags))
        hints = lsp.request("textDocument/inlayHint", {"textDocument": {"uri": uri}, "range": whole})
        n = len(hints.get("result") or [])
        r.check(n == 0, "inlayHints = \"off\" after the change removes the inlay hints", f"{n} hints")

        resp = lsp.request("shutdown", None)
        lsp.notify("exit", None)
        r.check(lsp.proc.wait(timeout=10) == 0, "server exits with status 0")
    except (TimeoutError, OSError, subprocess.TimeoutExpired) as e:
        r.bad("LSP session", f"{e}\n--- server stderr ---\n{lsp.stderr_tail()}")
    finally:
        lsp.kill()
    return r.finish()


if __name__ == "__main__":
    sys.exit(main())
