#!/usr/bin/env bash
# shellcheck disable=SC2016 # backticks in the Markdown output are literal
# Instruction counts (valgrind's callgrind), stable on a noisy machine where wall times are
# not: a regression check to compare before and after a change. Prints a Markdown table; it
# never fails on a count (no test asserts time or instructions).
#
#   bash benches/instructions.sh            # a fixed 200 KB article file
#
# The file is the team's fixture articles (tests/fixtures/articles; valid UTF-8, NFC), in
# name order, repeated to 200 KB. Needs valgrind and python3.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
for tool in valgrind python3; do
    command -v "$tool" > /dev/null || {
        echo "instructions: $tool is missing (apt-get install valgrind python3)" >&2
        exit 2
    }
done

cargo build --release --locked --quiet
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
lexls="$target/release/lexls"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$root/tests/fixtures/articles" "$work/article.txt" <<'PY'
import os, sys, unicodedata
src, out = sys.argv[1], sys.argv[2]
articles = []
for name in sorted(os.listdir(src)):
    if name.endswith(".txt"):
        try:
            text = open(os.path.join(src, name), "rb").read().decode("utf-8")
        except UnicodeDecodeError:
            continue
        text = unicodedata.normalize("NFC", text).lstrip("\ufeff")
        if len(text.encode()) > 200:
            articles.append(text)
body, i = "", 0
while len(body.encode()) < 200_000:
    body += articles[i % len(articles)] + "\n\n"
    i += 1
open(out, "wb").write(body.encode()[:200_000].decode("utf-8", "ignore").encode())
PY
bytes=$(wc -c < "$work/article.txt")

count() {
    valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$@" > /dev/null 2> "$work/err" || true
    sed -n 's/.*Collected : //p' "$work/err" | tail -1
}

: > "$work/empty.txt"
base=$(count "$lexls" annotate "$work/empty.txt")
echo "file: ${bytes} bytes of fixture articles, one thread; $(valgrind --version)"
echo
echo "| command | instructions | per byte, start-up excluded |"
echo "| --- | ---: | ---: |"
printf '| `lexls annotate` of an empty file (start-up: lexicon and matcher) | %s | |\n' "$base"
for cmd in "annotate" "lint --no-config --format json"; do
    # shellcheck disable=SC2086 # the command's words
    ir=$(RAYON_NUM_THREADS=1 count "$lexls" $cmd "$work/article.txt")
    printf '| `lexls %s` | %s | %s |\n' "$cmd" "$ir" \
        "$(awk -v i="$ir" -v s="$base" -v b="$bytes" 'BEGIN {printf "%.0f", (i - s) / b}')"
done
