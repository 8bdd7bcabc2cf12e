#!/usr/bin/env bash
# Real third-party TensorFlow SR models on Set5 (issue 20's table): every frozen graph under tf-real/opencv and every
# TF1 checkpoint under tf-real/dcscn is imported with no option, then `srtune eval` at its native scale (Eq. 2,
# A = bicubic, the fast schedule to its stop rule); and the paper's scale-disagreement experiment (Eq. 1) where the
# architecture allows: x4 networks with one depth-to-space stage built for x2 (ScaleChange), and LapSRN's x2 output
# of its x8 graph (--scale 2 picks it). One markdown table, a row per run.
# Usage: scripts/tf-imports-set5.sh [DATASET_DIR]
# Environment (all optional):
#   MODELS=../shared/models/tf-real   where the real models are
#   OUT=eval-output/tf-imports        eval folders and built models
#   PUBLISH=docs/results/tf-imports   where the table goes ("" to skip)
#   EVAL_ARGS="--lpips none --time-budget 90"  extra eval options
#   VARIANTS="plain tv:0.001"         loss per run: the plain data fidelity, and with --tv WEIGHT added
# Eval folders resume: run it again to finish an interrupted run or to remake the table.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${SRTUNE_SHARED:-$root/../shared}"
dataset="${1:-$shared/datasets/Set5}"
models="${MODELS:-$shared/models/tf-real}"
out="${OUT:-eval-output/tf-imports}"
publish="${PUBLISH-docs/results/tf-imports}"
eval_args="${EVAL_ARGS:---lpips none --time-budget 90}"
variants="${VARIANTS:-plain tv:0.001}"
command -v node >/dev/null || { echo "tf-imports-set5: node (from Node.js) writes the table; install it." >&2; exit 2; }
[ -d "$models" ] || { echo "tf-imports-set5: no models folder $models; set MODELS." >&2; exit 2; }
[ -d "$dataset" ] || { echo "tf-imports-set5: dataset folder $dataset not found." >&2; exit 2; }
mkdir -p "$out"
runs=()

# build KIND FILE DIR [--scale S]: imports FILE unless DIR holds a model already.
build() {
  local kind="$1" file="$2" dir="$3"; shift 3
  [ -f "$dir/saved_model.pb" ] && return 0
  if [ "$kind" = graphdef ]; then
    scripts/srtune build graphdef --graph "$file" --out "$dir" "$@" >&2
  else
    scripts/srtune build checkpoint --meta "$file" --out "$dir" "$@" >&2
  fi
}

# run NAME DIR SETTING: evaluates the model in DIR at the scale it records, once per loss variant.
run() {
  local name="$1" dir="$2" setting="$3"
  local s v extra
  s=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1] + "/srtune.json")).scale)' "$dir")
  for v in $variants; do
    extra=""
    [ "$v" = plain ] || extra="--tv ${v#tv:}"
    # shellcheck disable=SC2086
    scripts/srtune eval --model "$dir" --dataset "$dataset" --scale "$s" $eval_args $extra \
      --out "$out/eval-$name-${v/:/}" >&2
    runs+=("$name|$setting|$v|$out/eval-$name-${v/:/}")
  done
}

while IFS= read -r f; do
  name=$(basename "$f" .pb)
  build graphdef "$f" "$out/models/$name"
  run "$name" "$out/models/$name" "native (Eq. 2)"
  native=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1] + "/srtune.json")).scale)' \
    "$out/models/$name")
  if [ "$native" -gt 2 ] && [ $((native % 2)) -eq 0 ]; then
    if build graphdef "$f" "$out/models/$name-at-x2" --scale 2 2>"$out/$name-at-x2.err"; then
      if grep -q '"scale_change"' "$out/models/$name-at-x2/srtune.json"; then
        run "$name-at-x2" "$out/models/$name-at-x2" "x$native network at x2 (Eq. 1)"
      else
        run "$name-at-x2" "$out/models/$name-at-x2" "its own x2 output (Eq. 1)"
      fi
    else
      echo "tf-imports-set5: $name at x2: $(cat "$out/$name-at-x2.err")" >&2
    fi
  fi
done < <(find "$models" -name '*.pb' | sort)
while IFS= read -r f; do
  name=$(basename "$f" .ckpt.meta)
  build checkpoint "$f" "$out/models/$name"
  run "$name" "$out/models/$name" "native (Eq. 2)"
done < <(find "$models" -name '*.ckpt.meta' | sort)

table="$out/table.md"
node - "${runs[@]}" > "$table" <<'EOF'
const fs = require('fs');
const rows = process.argv.slice(2).map((spec) => {
  const [name, setting, loss, dir] = spec.split('|');
  const r = JSON.parse(fs.readFileSync(dir + '/results.json', 'utf8'));
  const a = r.averages;
  const f = (x) => (typeof x === 'number' ? x.toFixed(2) : '–');
  return `| ${name} | ${setting} | x${r.scale} | ${loss} | ${f(a.bicubic.psnr_y)} | ${f(a.start.psnr_y)} | ` +
    `${f(a.end.psnr_y)} | ${f(a.end.psnr_y - a.start.psnr_y)} | ${a.iterations.toFixed(0)} | ${a.seconds.toFixed(1)} |`;
});
console.log('Set5, PSNR-Y (dB, MATLAB rgb2ycbcr, scale pixels shaved), mean over the images; LR made as `srtune ' +
  'degrade` makes it (MATLAB bicubic); fine-tuning: the fast schedule to its stop rule or 90 s, A = bicubic; ' +
  'loss: the data fidelity alone (plain) or with --tv WEIGHT added.\n');
console.log('| model | setting | scale | loss | bicubic | start | fine-tuned | gain | iterations | seconds |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
rows.forEach((r) => console.log(r));
EOF
cat "$table"
if [ -n "$publish" ]; then
  mkdir -p "$publish/set5"
  cp "$table" "$publish/set5-table.md"
  for r in "${runs[@]}"; do
    dir="${r##*|}"; name=$(basename "$dir"); name="${name#eval-}"
    mkdir -p "$publish/set5/$name"
    cp "$dir/results.md" "$dir/results.csv" "$publish/set5/$name/"
  done
fi
