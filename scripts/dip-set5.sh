#!/usr/bin/env bash
# The paper's Table IV on Set5 (or any folder of HR PNGs): fine-tuned EnhanceNet (x4 network run at x2 and x3,
# A = bicubic) against Deep Image Prior on the same LR images, operator and metrics, each image under the same
# wall-clock budget of fine-tuning / optimisation.
# Usage: scripts/dip-set5.sh [DATASET_DIR]
# Environment (all optional):
#   SCALES="2 3"        factors (the paper's)
#   BUDGET=90           seconds of fine-tuning or DIP optimisation per image (--time-budget); the fine-tuning's stop
#                       rule may end it sooner, DIP runs to its 2000 iterations or the budget
#   WIDTH=32            DIP's hourglass channels (published: 128, ~8 s per iteration on 2 CPU cores)
#   OUT=eval-output/dip-set5
#   PUBLISH=docs/results/dip-set5  where the tables go ("" to skip)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${SRTUNE_SHARED:-$root/../shared}"
dataset="${1:-$shared/datasets/Set5}"
scales="${SCALES:-2 3}"
budget="${BUDGET:-90}"
width="${WIDTH:-32}"
out="${OUT:-eval-output/dip-set5}"
publish="${PUBLISH-docs/results/dip-set5}"
. scripts/models.sh
command -v node >/dev/null || { echo "dip-set5: node (from Node.js) writes the tables; install it." >&2; exit 2; }
if [ ! -d "$dataset" ]; then
  echo "dip-set5: dataset folder $dataset not found; pass a folder of HR PNG images." >&2
  exit 2
fi
for s in $scales; do
  model=saved-models/enhancenet-x$s
  enhancenet_model "$s" "$model"
  scripts/srtune eval --model "$model" --dataset "$dataset" --time-budget "$budget" --out "$out/finetune-x$s"
  scripts/srtune eval --method dip --scale "$s" --width "$width" --dataset "$dataset" --time-budget "$budget" \
    --out "$out/dip-w$width-x$s"
  node scripts/compare-evals.js "Set5 x$s, $budget s per image and method" \
    "EnhanceNet* (fine-tuned)=$out/finetune-x$s" "DIP (width $width)=$out/dip-w$width-x$s" > "$out/table-x$s.md"
  cat "$out/table-x$s.md"
  if [ -n "$publish" ]; then
    mkdir -p "$publish"
    cp "$out/table-x$s.md" "$publish/table-x$s.md"
  fi
done
