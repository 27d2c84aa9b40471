#!/usr/bin/env bash
# Makes the virtual environment the Makefile installs into: Debian's own Python refuses
# "pip install" outside one (PEP 668, "externally-managed-environment").
#   scripts/venv.sh PYTHON DIR
# Debian splits the venv module's pip bootstrap into the package python3-venv; when it is
# missing, it is installed (as root) and the venv made again. A half-made DIR is removed first.
set -euo pipefail
python="${1:?usage: scripts/venv.sh PYTHON DIR}"
dir="${2:?usage: scripts/venv.sh PYTHON DIR}"

if ! command -v "$python" >/dev/null; then
  echo "venv: $python is not installed (Debian: apt-get install python3)" >&2
  exit 2
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "venv: aikg needs Python 3.11 or later; $python is $("$python" -V 2>&1)" >&2
  exit 2
fi
if [ -x "$dir/bin/python" ] && "$dir/bin/python" -m pip --version >/dev/null 2>&1; then
  exit 0
fi
rm -rf "$dir"
if "$python" -m venv "$dir" 2>/dev/null; then
  exit 0
fi
rm -rf "$dir"
# Debian: "ensurepip is not available" until python3-venv (python3.X-venv) is installed
version="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "venv: '$python -m venv' failed; install python$version-venv (Debian: apt-get install python3-venv) and run make again" >&2
  exit 2
fi
echo "venv: installing python3-venv (python$version-venv)"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "python$version-venv" >/dev/null \
  || apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
"$python" -m venv "$dir"
