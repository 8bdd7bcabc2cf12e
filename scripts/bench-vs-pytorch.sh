#!/usr/bin/env bash
# srtune's per-iteration speed next to PyTorch's for the same network and iteration, in one run on one machine
# (docs/speed.md): `srtune bench` (EnhanceNet x4, A = bicubic, full-image fine-tuning iteration, 2 threads) at each
# LR size, then scripts/checks/torch_enhancenet_step.py at the same sizes, then the CPU both ran on.
# Usage: scripts/bench-vs-pytorch.sh [SIZES...]   (default: 64 128)
# Environment (optional): REPEATS=5  PRECISIONS="fp32 bf16" (bf16 is refused on a CPU without bf16 arithmetic)
# Needs python3 with torch and numpy (Debian: apt-get install python3-torch python3-numpy).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${SRTUNE_SHARED:-$root/../shared}"
repeats="${REPEATS:-5}"
precisions="${PRECISIONS:-fp32 bf16}"
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(64 128)
py="${PYTHON:-python3}"
"$py" -c "import torch, numpy" 2>/dev/null || py=/usr/bin/python3
model="saved-models/enhancenet-x4"
[ -f "$model/saved_model.pb" ] || scripts/srtune build enhancenet --checkpoint "$shared/models/enhancenet/weights" \
  --scale 4 --out "$model" >&2
for n in "${sizes[@]}"; do
  for p in $precisions; do
    echo "== srtune, LR $n, $p"
    scripts/srtune bench --model "$model" --lr-size "$n" --repeats "$repeats" --precision "$p" 2>&1 \
      | grep -E '^(model|cpu|forward|fine-tuning|images|error|bf16|This CPU)' || echo "(refused or failed)"
  done
  echo "== pytorch, LR $n"
  "$py" scripts/checks/torch_enhancenet_step.py "$n" "$repeats" 2
done
echo "== cpu"
grep -m1 'model name' /proc/cpuinfo || true
grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_vnni|avx512_bf16|avx_vnni|amx_.*)$' \
  | tr '\n' ' ' || true
echo
