#!/usr/bin/env python3
"""Checks the manifest inside a packaged .vsix (a zip file).

    python3 test/check_vsix.py lexls-0.1.0.vsix

Asserts that extension/package.json declares the server's semantic token types
and modifiers, that `main` points at a bundled file present in the vsix, that
the extension activates for plaintext and markdown, and that the restart
command and settings are contributed. Prints PASS/FAIL lines; exits 1 on failure.
"""

import json
import posixpath
import sys
import zipfile

TOKEN_TYPES = ["organisation", "meetingSeries", "meeting", "person", "place", "document", "term"]
CUSTOM_MODIFIERS = ["ambiguous", "unresolvedEdition", "misspelled"]  # `definition` is standard
SETTINGS = ["serverPath", "inlayHints", "rules", "lexicon", "allow", "entityHints", "trace.server"]
LANGUAGES = ["plaintext", "markdown"]


def main(path: str) -> int:
    passed = failed = 0

    def check(cond: bool, name: str, why: str = "") -> None:
        nonlocal passed, failed
        if cond:
            passed += 1
            print(f"PASS {name}")
        else:
            failed += 1
            print(f"FAIL {name}" + (f": {why}" if why else ""))

    with zipfile.ZipFile(path) as z:
        names = set(z.namelist())
        print(f"  {path}: {len(names)} files: {', '.join(sorted(names))}")
        pkg = json.loads(z.read("extension/package.json"))
        main_file = posixpath.normpath(posixpath.join("extension", pkg.get("main", "")))
        if not main_file.endswith(".js"):
            main_file += ".js"
        check(main_file in names, f"main ({pkg.get('main')}) is in the vsix", main_file)
        if main_file in names:
            js = z.read(main_file).decode("utf-8", "replace")
            check("vscode-languageclient" in js or "LanguageClient" in js,
                  "main is the bundle (contains the language client)")
        check(not any(n.startswith("extension/node_modules/") for n in names), "no node_modules shipped")
        check(not any(n.startswith("extension/src/") for n in names), "no TypeScript sources shipped")

    c = pkg.get("contributes", {})
    types = [t.get("id") for t in c.get("semanticTokenTypes", [])]
    check(types == TOKEN_TYPES, "semanticTokenTypes match the server legend", repr(types))
    check(all(t.get("superType") for t in c.get("semanticTokenTypes", [])), "every token type has a superType")
    mods = [m.get("id") for m in c.get("semanticTokenModifiers", [])]
    check(mods == CUSTOM_MODIFIERS, "semanticTokenModifiers declared", repr(mods))
    scopes = {}
    for entry in c.get("semanticTokenScopes", []):
        scopes.update(entry.get("scopes", {}))
    check(all(t in scopes for t in TOKEN_TYPES), "semanticTokenScopes cover every token type",
          repr(sorted(set(TOKEN_TYPES) - set(scopes))))

    events = pkg.get("activationEvents", [])
    langs = [lang.get("id") for lang in c.get("languages", [])]
    for lang in LANGUAGES:
        check(f"onLanguage:{lang}" in events, f"activates on {lang}", repr(events))
        check(lang in langs, f"contributes.languages lists {lang}", repr(langs))

    commands = [cmd.get("command") for cmd in c.get("commands", [])]
    check("lexls.restartServer" in commands, "lexls.restartServer command", repr(commands))
    props = c.get("configuration", {}).get("properties", {})
    missing = [s for s in SETTINGS if f"lexls.{s}" not in props]
    check(not missing, "settings contributed", f"missing {missing}")
    check(pkg.get("engines", {}).get("vscode", "").startswith("^1."), "engines.vscode set", repr(pkg.get("engines")))

    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1]))
