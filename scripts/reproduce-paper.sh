#!/usr/bin/env bash
# Reproduces the paper's EnhanceNet experiments on Set5 (or any folder of HR PNGs) with `srtune eval`:
#   x2, x3   Section IV-A / Table I (ENet* columns): EnhanceNet trained for x4, rebuilt for x2 / x3,
#            A_test = MATLAB bicubic, stop when LR-PSNR improves by <= 0.04 dB over the schedule's window.
#   x4-gan   Section V / Table III (ENet columns): EnhanceNet x4, A = the training operator (PIL lanczos3),
#            stop when LR-LPIPS decreases by <= 3e-5 over the schedule's window.
# Usage: scripts/reproduce-paper.sh [DATASET_DIR]
# Environment (all optional):
#   EXPERIMENTS="x2 x3 x4-gan"   which experiments to run, in this order
#   SCHEDULE=fast                fast (srtune's default: crops, Adam) or paper (Algorithm 1 as published)
#   MAX_ITERS=4000               iteration cap per image (the paper's K)
#   TIME_X2= TIME_X3= TIME_X4=   optional per-image time budget in seconds (default: none, the stop rule decides)
#   OUT=eval-output/paper        where the full evaluation folders go (resumable: rerun to continue)
#   PUBLISH=docs/results         where tables and a few small pictures are copied ("" to skip)
#   PICTURES="butterfly"         images whose crops and curve are copied to PUBLISH
#   MODELS=saved-models          where the EnhanceNet SavedModels are (built there when missing)
# The runs are resumable: an interrupted script continues where it stopped when run again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${SRTUNE_SHARED:-$root/../shared}"
dataset="${1:-$shared/datasets/Set5}"
experiments="${EXPERIMENTS:-x2 x3 x4-gan}"
max_iters="${MAX_ITERS:-4000}"
schedule="${SCHEDULE:-fast}"
out="${OUT:-eval-output/paper}"
publish="${PUBLISH-docs/results}"
pictures="${PICTURES:-butterfly}"
models="$(mkdir -p "${MODELS:-saved-models}" && cd "${MODELS:-saved-models}" && pwd)"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}"  # oneDNN kernels on every CPU (a user's 0 is kept)

if [ ! -d "$dataset" ]; then
  echo "reproduce-paper: dataset folder $dataset not found; pass a folder of HR PNG images." >&2
  exit 2
fi

. scripts/models.sh
build() { # scale
  local dir="$models/enhancenet-x$1"
  enhancenet_model "$1" "$dir"
  echo "$dir"
}

mkdir -p "$out"
timing="$out/timing.txt"
for exp in $experiments; do
  case "$exp" in
    x2) scale=2; model=$(build 2); budget="${TIME_X2:-}"; args=(--downsampler bicubic --stop lr-psnr --delta 0.04) ;;
    x3) scale=3; model=$(build 3); budget="${TIME_X3:-}"; args=(--downsampler bicubic --stop lr-psnr --delta 0.04) ;;
    x4-gan) scale=4; model=$(build 4); budget="${TIME_X4:-}"; args=(--downsampler lanczos3 --stop lr-lpips --delta 3e-5) ;;
    *) echo "reproduce-paper: unknown experiment '$exp' (use x2, x3, x4-gan)" >&2; exit 2 ;;
  esac
  [ -n "$budget" ] && args+=(--time-budget "$budget")
  cmd=(scripts/srtune eval --model "$model" --dataset "$dataset" --scale "$scale" --schedule "$schedule" "${args[@]}"
       --max-iters "$max_iters" --out "$out/set5-$exp")
  echo "== $exp: ${cmd[*]}" | tee -a "$timing"
  start=$(date +%s)
  "${cmd[@]}"
  end=$(date +%s)
  echo "== $exp: wall time $((end - start)) s (this invocation), $(date -u +%FT%TZ), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg)" | tee -a "$timing"
  if [ -n "$publish" ]; then
    dest="$publish/set5-$exp"
    mkdir -p "$dest"
    cp "$out/set5-$exp/results.md" "$out/set5-$exp/results.csv" "$out/set5-$exp/results.json" "$dest/"
    for p in $pictures; do
      if [ -d "$out/set5-$exp/images/$p" ]; then
        cp "$out/set5-$exp/images/$p/crops.png" "$dest/$p-crops.png"
        cp "$out/set5-$exp/images/$p/curve.png" "$dest/$p-curve.png"
      fi
    done
  fi
done
[ -n "$publish" ] && cp "$timing" "$publish/timing.txt"
echo "done: tables in $out/*/results.md${publish:+ and $publish/}"
