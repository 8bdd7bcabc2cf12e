#!/usr/bin/env bash
# The paper's Table II on Set5 (or any folder of HR PNGs): LR made with a random anisotropic Gaussian per image
# (ZSSR's non-ideal kernels, random:seed={i}) then bicubic x2; a pretrained network fine-tuned with the true kernel
# (non-blind) and with the kernel estimated from each LR (blind), against ZSSR with the same kernels; every method
# gets the same wall-clock budget per image.
# Usage: scripts/blur-set5.sh [DATASET_DIR]
# Environment (all optional):
#   MODELS="enhancenet psnr-small"  enhancenet: EnhanceNet-PAT (x4) run at x2; psnr-small: UpscalerJS esrgan-legacy
#                                   'psnr-small' (RDN trained with MSE at x2, the closest here to the paper's EDSR)
#   BUDGET=90                       seconds of fine-tuning / ZSSR training per image (--time-budget); the kernel
#                                   estimate is timed apart
#   ZSSR=1                          also run ZSSR, non-blind and blind (0 to skip)
#   OUT=eval-output/blur-set5       where the runs go (resumable: a finished image is skipped)
#   PUBLISH=docs/results/blur-set5  where the table goes ("" to skip)
# The blind runs estimate each kernel once (in the first model's blind run); the other blind runs read those
# kernels (--blur kernel:.../{name}/kernel.npy), so every blind method uses the same estimate.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${SRTUNE_SHARED:-$root/../shared}"
dataset="${1:-$shared/datasets/Set5}"
models="${MODELS:-enhancenet psnr-small}"
budget="${BUDGET:-90}"
zssr="${ZSSR:-1}"
out="${OUT:-eval-output/blur-set5}"
publish="${PUBLISH-docs/results/blur-set5}"
lr_blur='random:seed={i}'
if [ ! -d "$dataset" ]; then
  echo "blur-set5: dataset folder $dataset not found; pass a folder of HR PNG images." >&2
  exit 2
fi
. scripts/models.sh
command -v node >/dev/null || { echo "blur-set5: node (from Node.js) writes the table; install it." >&2; exit 2; }

model_dir() { # name -> x2 SavedModel folder (built when missing)
  case "$1" in
    enhancenet)
      local dir=saved-models/enhancenet-x2
      enhancenet_model 2 "$dir" ;;
    psnr-small)
      local dir=saved-models/esrgan-legacy-psnr-small
      [ -f "$dir/saved_model.pb" ] || scripts/srtune build upscalerjs --package @upscalerjs/esrgan-legacy \
        --model psnr-small --out "$dir" >&2 ;;
    *) echo "blur-set5: unknown model '$1' (use enhancenet, psnr-small)" >&2; exit 2 ;;
  esac
  echo "$dir"
}

common=(--dataset "$dataset" --scale 2 --time-budget "$budget")
kernels=""
args=("Set5 x2, LR = bicubic(random:seed={i} * HR), $budget s per image and method")
for name in $models; do
  model=$(model_dir "$name")
  scripts/srtune eval --model "$model" "${common[@]}" --blur "$lr_blur" --out "$out/$name-nonblind"
  if [ -z "$kernels" ]; then
    scripts/srtune eval --model "$model" "${common[@]}" --blur estimate --lr-blur "$lr_blur" --out "$out/$name-blind"
    kernels="$out/$name-blind/images"
  else
    scripts/srtune eval --model "$model" "${common[@]}" --blur "kernel:$kernels/{name}/kernel.npy" \
      --lr-blur "$lr_blur" --out "$out/$name-blind"
  fi
  args+=("$name non-blind=$out/$name-nonblind" "$name blind=$out/$name-blind")
done
if [ "$zssr" = 1 ]; then
  scripts/srtune eval --method zssr "${common[@]}" --blur "$lr_blur" --out "$out/zssr-nonblind"
  if [ -n "$kernels" ]; then blind=(--blur "kernel:$kernels/{name}/kernel.npy"); else blind=(--blur estimate); fi
  scripts/srtune eval --method zssr "${common[@]}" "${blind[@]}" --lr-blur "$lr_blur" --out "$out/zssr-blind"
  args+=("ZSSR non-blind=$out/zssr-nonblind" "ZSSR blind=$out/zssr-blind")
fi
node scripts/compare-evals.js "${args[@]}" > "$out/table.md"
cat "$out/table.md"
if [ -n "$publish" ]; then
  mkdir -p "$publish"
  cp "$out/table.md" "$publish/table.md"
fi
