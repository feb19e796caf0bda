#!/usr/bin/env bash
# Refreshes the hash-checked locks in requirements/ to the newest versions pyproject.toml's
# ranges allow, then rebuilds .venv from them and runs the whole suite. A refreshed lock
# lands only with the suite green on it: commit requirements/ only if this script passes.
#   scripts/lock.sh          every package to its newest allowed release
#   scripts/lock.sh --keep   after editing pyproject.toml's requirements: resolve again,
#                            keeping every pinned release that still fits
set -euo pipefail
cd "$(dirname "$0")/.."
upgrade=--upgrade
case "${1:-}" in
  "") ;;
  --keep) upgrade= ;;
  *) echo "usage: $0 [--keep]" >&2; exit 2 ;;
esac

tool=$(mktemp -d)
trap 'rm -rf "$tool"' EXIT
python3 -m venv "$tool/venv"
if [ -f requirements/lock-tool.txt ]; then
  "$tool/venv/bin/python" -m pip install -qq --require-hashes -r requirements/lock-tool.txt
else  # first lock ever: the resolver locks itself below
  "$tool/venv/bin/python" -m pip install -qq uv
fi
uv="$tool/venv/bin/uv"
# --universal: one lock for every platform and Python >= 3.11, with the hashes of every
# file of each pinned release, so that the same lock installs on x86_64 and aarch64.
lock() {
  "$uv" pip compile --quiet $upgrade --universal --python-version 3.11 --generate-hashes \
    --custom-compile-command scripts/lock.sh "$@"
}
echo "==> resolving requirements/test.txt (cpstrust with the tpm and test extras)"
lock pyproject.toml --extra tpm --extra test -o requirements/test.txt
# The other locks pin what they share with the test lock to its versions: the runtime
# environment is a subset of the tested one, and the build tools are the ones it ran with.
sed -e 's/ *\\$//' -e '/^ *--hash/d' -e '/^ *#/d' -e '/^$/d' requirements/test.txt \
  > "$tool/tested.txt"
echo "==> resolving requirements/runtime.txt"
lock pyproject.toml -c "$tool/tested.txt" -o requirements/runtime.txt
echo "==> resolving requirements/build.txt"
lock requirements/build.in -c "$tool/tested.txt" -o requirements/build.txt
# Name the constraints by what they are, not by the temporary file that held them.
sed -i "s|-c $tool/tested.txt|-c requirements/test.txt (its pins)|" \
  requirements/runtime.txt requirements/build.txt
echo "==> resolving requirements/lock-tool.txt"
lock requirements/lock-tool.in -o requirements/lock-tool.txt

echo "==> rebuilding .venv from the new locks and running the suite"
rm -rf .venv
exec ./scripts/test.sh
