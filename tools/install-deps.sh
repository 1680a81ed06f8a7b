#!/bin/sh
# install-deps.sh — install the Debian 12 packages wasteplan needs to build,
# test and benchmark. Installs only what is missing; safe to run again.
set -e
PKGS="build-essential pkg-config
libgdal-dev gdal-bin python3-gdal
libproj-dev proj-bin proj-data
libgeos-dev
libsqlite3-dev sqlite3 libspatialite-dev
libcmocka-dev
python3 python3-numpy python3-scipy
coinor-libclp-dev coinor-libcbc-dev libglpk-dev liblemon-dev
python3-networkx osmium-tool spatialite-bin python-osmnx-doc"

missing=""
for p in $PKGS; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
        missing="$missing $p"
done
if [ -z "$missing" ]; then
    echo "install-deps: every package is installed"
    exit 0
fi
echo "install-deps: installing$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
