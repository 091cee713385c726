#!/usr/bin/env bash
# `lexls lint` against ripgrep on the same corpus, side by side in one hyperfine run.
#
#   bash benches/lint_vs_rg.sh [MB]        # default 60 MB
#
# Builds the release binary, writes a corpus of at least MB megabytes into a temporary
# folder (files of 4–32 KB, each a few of the team's fixture articles in
# tests/fixtures/articles, NFC, with their numbers varied — never the seed articles),
# extracts the lexicon's aliases (`lexls lexicon export --format tsv`, column `form`) and
# times, with hyperfine:
#
#   lexls lint --no-config --format json DIR > /dev/null
#   rg -c -F -f ALIASES DIR > /dev/null
#
# on every core, and on one core each (RAYON_NUM_THREADS=1, rg -j1) for the per-core rate.
# Prints a Markdown table with the ratio and MB/s, then the peak resident size of the lint
# (`/usr/bin/time`) on the corpus and on the corpus concatenated into one file.
# Needs hyperfine, ripgrep and python3 (`apt-get install hyperfine ripgrep`).
# Set LINT_BENCH_DIR to keep (or reuse) the corpus in that folder.
set -euo pipefail

mb=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

for tool in hyperfine rg python3; do
    command -v "$tool" > /dev/null || {
        echo "lint_vs_rg: $tool is missing (apt-get install hyperfine ripgrep python3)" >&2
        exit 2
    }
done

cargo build --release --locked --quiet
target=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')
lexls="$target/release/lexls"

if [[ -n ${LINT_BENCH_DIR:-} ]]; then
    work=$LINT_BENCH_DIR
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi
corpus="$work/corpus"
aliases="$work/aliases.txt"

if [[ ! -f $corpus/.complete-$mb ]]; then
    rm -rf "$corpus"
    python3 - "$root/tests/fixtures/articles" "$corpus" "$mb" <<'PY'
import os, random, sys, unicodedata
src, out, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
articles = []
for name in sorted(os.listdir(src)):
    if not name.endswith(".txt"):
        continue
    try:
        text = open(os.path.join(src, name), "rb").read().decode("utf-8")
    except UnicodeDecodeError:
        continue  # invalid_utf8.txt: lint would only report it
    text = unicodedata.normalize("NFC", text).lstrip("\ufeff")
    if len(text.encode()) > 200:
        articles.append(text)
rng = random.Random(0x5EED)
def vary(t):
    return "".join(rng.choice("0123456789") if c.isdigit() and rng.random() < 0.25 else c for c in t)
total, n = 0, 0
target = mb * 1_000_000
while total < target:
    size = rng.randint(4_000, 32_000)
    parts, got = [], 0
    while got < size:
        a = vary(rng.choice(articles))
        parts.append(a)
        got += len(a.encode())
    body = "\n\n".join(parts).encode()
    d = os.path.join(out, f"{n // 500:03}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"{n:06}.txt"), "wb") as f:
        f.write(body)
    total += len(body)
    n += 1
print(f"corpus: {n} files, {total / 1e6:.1f} MB in {out}", file=sys.stderr)
PY
    touch "$corpus/.complete-$mb"
fi
bytes=$(find "$corpus" -name '*.txt' -printf '%s\n' | awk '{s += $1} END {print s}')
files=$(find "$corpus" -name '*.txt' | wc -l)

"$lexls" lexicon export --format tsv | tail -n +2 | cut -f4 | sort -u > "$aliases"

cores=$(nproc)
echo "machine: $cores cores, $(lscpu | sed -n 's/^Model name: *//p' | head -1); load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "corpus: $files files, $(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1e6}') MB; aliases: $(wc -l < "$aliases")"
echo

# Warm the page cache; both tools then read from memory.
cat "$corpus"/*/*.txt > /dev/null

csv="$work/times.csv"
hyperfine --style basic --ignore-failure --warmup 1 --runs "${RUNS:-5}" --export-csv "$csv" \
    -n "lexls lint" "$lexls lint --no-config --format json $corpus > /dev/null" \
    -n "rg -c -F -f" "rg -c -F -f $aliases $corpus > /dev/null" \
    -n "lexls lint -j1" "RAYON_NUM_THREADS=1 $lexls lint --no-config --format json $corpus > /dev/null" \
    -n "rg -c -F -f -j1" "rg -j1 -c -F -f $aliases $corpus > /dev/null" >&2

echo
echo "| command | threads | median | CPU time | MB/s | MB/s per CPU second | vs rg |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
# CPU time is hyperfine's mean user + system time: with one worker thread, lint still prints
# on a second thread, so wall time alone would flatter the rate per core.
awk -F, -v bytes="$bytes" -v cores="$cores" '
    NR == 1 { next }
    {
        name[NR] = $1; median[NR] = $4; cpu[NR] = $5 + $6
        threads[NR] = ($1 ~ /-j1/) ? 1 : cores
    }
    END {
        # rows: 2 lint, 3 rg, 4 lint 1 thread, 5 rg 1 thread
        for (i = 2; i <= 5; i++) {
            rg = (i == 2 || i == 3) ? median[3] : median[5]
            mbs = bytes / 1e6 / median[i]
            printf "| `%s` | %d | %.2f s | %.2f s | %.0f | %.0f | %.2f× |\n", name[i], threads[i], median[i], cpu[i], mbs, bytes / 1e6 / cpu[i], median[i] / rg
        }
    }' "$csv"

echo
# Peak resident size (issue 8): the folder, then the same bytes as one file. lint exits 1
# when it finds something: that is not a failure here.
peak_kib() {
    { /usr/bin/time -f %M "$lexls" lint --no-config --format json "$1" > /dev/null; } 2>&1 | tail -1 || true
}
one="$work/one-file.txt"
for f in "$corpus"/*/*.txt; do cat "$f"; printf '\n\n'; done > "$one"
folder_peak=$(peak_kib "$corpus")
file_peak=$(peak_kib "$one")
echo "| input | size | peak resident size |"
echo "| --- | ---: | ---: |"
awk -v b="$bytes" -v f="$files" -v p="$folder_peak" 'BEGIN {printf "| the corpus, %d files | %.1f MB | %.0f MB |\n", f, b / 1e6, p / 1024}'
one_bytes=$(stat -c %s "$one")
awk -v b="$one_bytes" -v p="$file_peak" 'BEGIN {printf "| the corpus as one file | %.1f MB | %.0f MB |\n", b / 1e6, p / 1024}'
rm -f "$one"
