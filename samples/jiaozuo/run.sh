#!/bin/sh
# run.sh — the `make demo` run: check, then solve, the Jiaozuo–Xinxiang
# sample scenario and say where the GeoPackage went.
#   usage: sh samples/jiaozuo/run.sh [path/to/wasteplan] [output.gpkg]
# Paths are taken relative to the current directory (make runs it from the
# repository root); the scenario is found beside this script.
set -e

WP=${1:-build/wasteplan}
OUT=${2:-build/jiaozuo.gpkg}
HERE=$(dirname "$0")
INI="$HERE/jiaozuo.ini"

if [ ! -x "$WP" ]; then
    echo "run.sh: $WP is missing or not executable; build it first with 'make'" >&2
    exit 1
fi
mkdir -p "$(dirname "$OUT")"

echo "== $WP check $INI"
"$WP" check "$INI"

echo "== $WP solve $INI -o $OUT"
"$WP" solve "$INI" -o "$OUT"

echo "== output: $OUT (open it in QGIS; layers are in EPSG:4490)"
