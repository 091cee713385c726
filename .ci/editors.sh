#!/usr/bin/env bash
# Editor integration checks, run by .ci/run after the lexls binary is built:
#
#   LEXLS_BIN=/abs/path/to/lexls bash .ci/editors.sh
#
# 1. Neovim (headless, real client): editors/nvim/test/run.lua loads
#    editors/nvim/lsp/lexls.lua, starts $LEXLS_BIN with it and checks hover,
#    definition and diagnostics on editors/nvim/test/article.txt.
# 2. VS Code: npm ci, type-check, unit tests, `vsce package`, then checks the
#    manifest inside the .vsix, and that settings converted by the extension's
#    own code are accepted and applied by $LEXLS_BIN (every rule id it offers,
#    inlay hints, didChangeConfiguration).
# 3. Helix: checks editors/helix/languages.toml and runs $LEXLS_BIN with its
#    args and config the way Helix does (initialize, diagnostics, shutdown).
# 4. Emacs, only if Emacs with Eglot is installed (not installed here):
#    editors/emacs/test/run.el checks lexls.el's Eglot registration the same way.
#
# Installs neovim / nodejs+npm with apt-get when missing (needs root or sudo).
# Exits non-zero on any failure.
set -euo pipefail

step() { printf '\n==> %s\n' "$*"; }
die() { printf 'FAIL %s\n' "$*" >&2; exit 1; }

: "${LEXLS_BIN:?set LEXLS_BIN to the absolute path of the built lexls binary}"
case "$LEXLS_BIN" in /*) ;; *) LEXLS_BIN="$PWD/$LEXLS_BIN" ;; esac

cd "$(dirname "${BASH_SOURCE[0]}")/.."
[ -x "$LEXLS_BIN" ] || die "LEXLS_BIN=$LEXLS_BIN is not an executable file"
export LEXLS_BIN

# --- tools ----------------------------------------------------------------

apt_updated=0
apt_install() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install $*"
    sudo=(sudo)
  fi
  echo "    apt-get install $*"
  if [ "$apt_updated" -eq 0 ]; then
    "${sudo[@]}" apt-get update -qq >/dev/null
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

step "tools"
command -v nvim >/dev/null 2>&1 || apt_install neovim
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  apt_install nodejs npm
fi
command -v python3 >/dev/null 2>&1 || apt_install python3
python3 -c 'import tomllib' 2>/dev/null || die "python3 >= 3.11 is needed (tomllib)"
echo "    $(nvim --version | head -n1); node $(node --version); npm $(npm --version 2>/dev/null); $(python3 --version)"
echo "    lexls: $LEXLS_BIN"

# --- 1. Neovim --------------------------------------------------------------

step "neovim: editors/nvim/lsp/lexls.lua against $LEXLS_BIN (headless, Neovim 0.7 API)"
# The driver has its own 90 s timer; `timeout` is the last resort.
timeout 180 nvim --headless -u NONE -i NONE -n -c 'luafile editors/nvim/test/run.lua' </dev/null \
  || die "neovim test failed"

# --- 2. VS Code ---------------------------------------------------------------

step "vscode: npm ci, typecheck, unit tests, package"
(
  cd editors/vscode
  rm -f ./*.vsix
  npm ci --no-audit --no-fund --loglevel=error
  npm run --silent typecheck
  npm test --silent
  npm run --silent package
) || die "vscode extension build/test failed"

step "vscode: manifest inside the .vsix"
shopt -s nullglob
vsix=(editors/vscode/*.vsix)
shopt -u nullglob
[ "${#vsix[@]}" -eq 1 ] || die "expected one .vsix in editors/vscode, found ${#vsix[@]}"
python3 editors/vscode/test/check_vsix.py "${vsix[0]}" || die "vsix manifest check failed"

step "vscode: settings converted by the extension, applied by $LEXLS_BIN"
timeout 120 python3 editors/vscode/test/server_settings.py --bin "$LEXLS_BIN" \
  || die "settings from the VS Code extension are not applied by the server"

# --- 3. Helix -----------------------------------------------------------------

step "helix: editors/helix/languages.toml, and the server run with its args and config"
timeout 120 python3 editors/helix/test/smoke.py --bin "$LEXLS_BIN" || die "helix check failed"

# --- 4. Emacs (only when Emacs with Eglot is already installed) ----------------

if command -v emacs >/dev/null 2>&1 && emacs --batch --eval "(require 'eglot)" >/dev/null 2>&1; then
  step "emacs: editors/emacs/lexls.el with Eglot against $LEXLS_BIN (batch)"
  # One attempt: the diagnostics Eglot once missed under load were read late by Emacs 28's
  # jsonrpc.el, not sent late; run.el now waits for them before any synchronous request.
  status=0
  out=$(timeout 180 emacs --batch -l editors/emacs/test/run.el </dev/null 2>&1) || status=$?
  printf '%s\n' "$out" | grep -v '^Loading ' || true
  [ "$status" -eq 0 ] || die "emacs test failed (status $status)"
else
  step "emacs: skipped (no Emacs with Eglot installed)"
fi

step "editors: all checks passed"
