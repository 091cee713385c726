#!/usr/bin/env bash
# Renders lexls's HTML export in headless Chromium (Debian's `chromium`) and checks it:
# two fixture articles at a desktop (1200x900) and a phone (390x844) width, each screenshot
# a real picture (decoded here: many colours, and the highlight colours of the marks), and
# the DOM (`--dump-dom`) holds the marks and nothing injected by the hostile fixture.
#
#   bash .ci/render.sh [LEXLS_BIN]
#
# LEXLS_BIN defaults to target/debug/lexls (built when missing). Set LEXLS_SCREENSHOTS=DIR to
# keep the screenshots there (tests/screenshots/ is made with LEXLS_SCREENSHOTS=tests/screenshots).
# Installs chromium and the Noto fonts with apt-get when chromium is missing.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

BIN="${1:-${LEXLS_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/debug/lexls}}"
if [ ! -x "$BIN" ]; then
  cargo build --locked --quiet
fi

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing chromium (Debian package)"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq chromium fonts-noto-core >/dev/null
fi
chromium --version 2>/dev/null

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
A=tests/fixtures/articles
"$BIN" annotate --no-config --format html -o "$WORK/site" \
  "$A/vi_macosa_meeting.txt" "$A/en_amiclc_launch.txt" tests/fixtures/export/hostile.txt

# One Chromium run, never touching the network, with a throwaway profile.
chrome() {
  local profile
  profile="$(mktemp -d "$WORK/profile.XXXXXX")"
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --disable-quic --no-first-run --disable-background-networking \
    --disable-component-update --disable-sync --disable-extensions --hide-scrollbars \
    --run-all-compositor-stages-before-draw \
    --user-data-dir="$profile" "$@" 2>"$WORK/chromium.log"
}

# A screenshot of a complete render. Headless Chromium now and then captures before every
# tile is painted (part of the page left blank); a complete render is deterministic, so
# shoot until two consecutive pictures are identical.
screenshot() {
  local png="$1" size="$2" url="$3" again="${1%.png}-again.png" try
  chrome --screenshot="$png" --window-size="$size" "$url" >/dev/null || return 1
  for try in 1 2 3 4 5; do
    chrome --screenshot="$again" --window-size="$size" "$url" >/dev/null || return 1
    if cmp -s "$png" "$again"; then
      rm -f "$again"
      return 0
    fi
    mv "$again" "$png"
  done
  echo "render: warning: $png never rendered the same twice" >&2
}

fail() {
  echo "render: $*" >&2
  exit 1
}

for page in vi_macosa_meeting en_amiclc_launch; do
  url="file://$WORK/site/$page.html"
  for size in 1200,900 390,844; do
    png="$WORK/$page-${size/,/x}.png"
    screenshot "$png" "$size" "$url" ||
      { cat "$WORK/chromium.log" >&2; fail "chromium failed on $page at $size"; }
    [ -s "$png" ] || fail "no screenshot for $page at $size"
    # Decode the PNG (no PIL needed): it must have the window's size, many colours, no
    # colour covering nearly everything, and pixels of the mark highlights (organisation
    # #dbe7ff, place #d6f1dc), which only appear where marks were drawn.
    python3 - "$png" "$size" <<'PY' || fail "$png is not a rendered page"
import struct, sys, zlib
path, size = sys.argv[1], sys.argv[2]
want_w, want_h = map(int, size.split(','))
data = open(path, 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
pos, idat, w = 8, b'', None
while pos < len(data):
    n, kind = struct.unpack('>I4s', data[pos:pos + 8])
    body = data[pos + 8:pos + 8 + n]
    if kind == b'IHDR':
        w, h, depth, ctype = struct.unpack('>IIBB', body[:10])
        assert depth == 8 and ctype in (2, 6), f'unexpected PNG type {depth}/{ctype}'
        bpp = 3 if ctype == 2 else 4
    elif kind == b'IDAT':
        idat += body
    pos += 12 + n
assert (w, h) == (want_w, want_h), f'size {w}x{h}, expected {size}'
raw = zlib.decompress(idat)
stride = w * bpp
prev = bytearray(stride)
counts = {}
for y in range(h):
    f = raw[y * (stride + 1)]
    line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if f == 1: line[i] = (line[i] + a) & 255
        elif f == 2: line[i] = (line[i] + b) & 255
        elif f == 3: line[i] = (line[i] + (a + b) // 2) & 255
        elif f == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    for x in range(0, stride, bpp):
        px = bytes(line[x:x + 3])
        counts[px] = counts.get(px, 0) + 1
    prev = line
total = w * h
top = max(counts.values())
org = counts.get(bytes.fromhex('dbe7ff'), 0)
place = counts.get(bytes.fromhex('d6f1dc'), 0)
print(f'{path.rsplit("/", 1)[-1]}: {w}x{h}, {len(counts)} colours, '
      f'most common {100 * top // total}%, organisation marks {org} px, place marks {place} px')
assert len(counts) >= 50, 'too few colours: a blank or broken page'
assert top < 0.97 * total, 'one colour covers the page'
assert org > 200 and place > 200, 'no mark highlights drawn'
PY
  done
  dom="$WORK/$page.dom.html"
  chrome --dump-dom "$url" >"$dom" || fail "chromium --dump-dom failed on $page"
  grep -q '<mark class="m k-place" tabindex="0" data-entity="hanoi">' "$dom" ||
    fail "$page: no mark for Hanoi in the DOM"
  grep -q 'class="m k-organisation' "$dom" || fail "$page: no organisation mark in the DOM"
  grep -q 'id="h-entities"' "$dom" || fail "$page: no entity list in the DOM"
done
grep -q 'class="f sev-' "$WORK/vi_macosa_meeting.dom.html" ||
  fail "vi_macosa_meeting: its misspellings are not marked as findings"

# The hostile article: its markup must come out as text.
dom="$WORK/hostile.dom.html"
chrome --dump-dom "file://$WORK/site/hostile.html" >"$dom" || fail "chromium --dump-dom failed on hostile"
for tag in '<script' '<img' '<iframe' '<svg' '<b>' '<style>\*'; do
  if grep -qi -- "$tag" "$dom"; then
    fail "hostile: $tag made it into the DOM"
  fi
done
[ "$(grep -o '<style>' "$dom" | wc -l)" -eq 1 ] || fail "hostile: more than one style element"
grep -q '&lt;script&gt;alert("lexls")&lt;/script&gt;' "$dom" || fail "hostile: the script text is not shown"
[ "$(grep -o 'data-entity="amic"' "$dom" | wc -l)" -ge 4 ] || fail "hostile: AMIC marks missing"

chrome --dump-dom "file://$WORK/site/index.html" >"$WORK/index.dom.html" || fail "index"
grep -q 'href="vi_macosa_meeting.html"' "$WORK/index.dom.html" || fail "index: no link to the page"

if [ -n "${LEXLS_SCREENSHOTS:-}" ]; then
  mkdir -p "$LEXLS_SCREENSHOTS"
  cp "$WORK/vi_macosa_meeting-1200x900.png" "$LEXLS_SCREENSHOTS/annotate-html-desktop.png"
  cp "$WORK/en_amiclc_launch-390x844.png" "$LEXLS_SCREENSHOTS/annotate-html-phone.png"
  echo "screenshots in $LEXLS_SCREENSHOTS"
fi
echo "render: ok"
