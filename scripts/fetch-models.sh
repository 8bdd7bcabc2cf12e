#!/usr/bin/env bash
# Fetch model files into the cache ($SRTUNE_CACHE, default ~/.cache/srtune).
#   scripts/fetch-models.sh enhancenet [more...]
# With SRTUNE_MODEL_MIRROR=DIR set, files are copied from DIR/<model>/ instead of downloaded; either way each
# file is checked against its published sha256 before it is kept.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 MODEL..." >&2; exit 2; }
exec "$here/srtune" fetch "$@"
