#!/usr/bin/env bash
# The default on every network family srtune imports (issue 28's table): each network x Set5 at its native scale and
# at a scale-disagreement scale where its graph allows one, with the old default (the fast schedule without TV or
# keep-best: `--tv 0 --no-keep-best`) and the new one (no option), side by side. One markdown table, a row per
# network and scale: bicubic, start and end HR-PSNR (RGB [0,1] unshaved, and Y shaved), iterations, seconds; the CPU
# it ran on in the header.
# Usage: scripts/networks-set5.sh [DATASET_DIR]
# Environment (all optional):
#   OUT=eval-output/networks        eval folders and built models (resumable: run again to continue or remake)
#   PUBLISH=docs/results/networks   where the table and the per-run results go ("" to skip)
#   ONLY="espcn lapsrn"             only the rows whose name contains one of these words
#   VARIANTS="old new"              which defaults to run
#   NEW_ONLY="enhancenet"           rows whose name contains one of these words run only the new default (their
#                                   old-default numbers are published elsewhere, e.g. docs/results/set5-x2)
#   EVAL_ARGS="--lpips none"        extra options for every run
#   TABLE_ONLY=1                    run nothing: remake the table from the eval folders there are
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${SRTUNE_SHARED:-$root/../shared}"
dataset="${1:-$shared/datasets/Set5}"
real="$shared/models/tf-real"
out="${OUT:-eval-output/networks}"
publish="${PUBLISH-docs/results/networks}"
only="${ONLY:-}"
variants="${VARIANTS:-old new}"
new_only="${NEW_ONLY:-}"
eval_args="${EVAL_ARGS:---lpips none}"
command -v node >/dev/null || { echo "networks-set5: node (from Node.js) writes the table; install it." >&2; exit 2; }
[ -d "$dataset" ] || { echo "networks-set5: dataset folder $dataset not found." >&2; exit 2; }
mkdir -p "$out/models"
. scripts/models.sh
rows=()

wanted() { # NAME: true when ONLY is empty or names it
  [ -z "$only" ] && return 0
  local w; for w in $only; do [[ "$1" == *"$w"* ]] && return 0; done; return 1
}

# row NAME SETTING BUILD...: builds the model with the srtune command BUILD... --out DIR unless it is there, then
# evaluates it once per variant at the scale it records.
row() {
  local name="$1" setting="$2"; shift 2
  wanted "$name" || return 0
  if [ -n "${TABLE_ONLY:-}" ]; then
    ls -d "$out/eval-$name"-* >/dev/null 2>&1 && rows+=("$name|$setting|$out/eval-$name")
    return 0
  fi
  local dir="$out/models/$name"
  if [ ! -f "$dir/saved_model.pb" ]; then
    if ! "$@" --out "$dir" >&2 2>"$out/$name.build.err"; then
      echo "networks-set5: $name not built: $(tail -n 1 "$out/$name.build.err")" >&2
      return 0
    fi
  fi
  local s v extra row_variants="$variants" w
  for w in $new_only; do [[ "$name" == *"$w"* ]] && row_variants="new"; done
  # AT_SCALE=S row ...: evaluate at S rather than the scale the model records (a pre-upsampling network runs at any).
  s="${AT_SCALE:-$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1] + "/srtune.json")).scale)' "$dir")}"
  for v in $row_variants; do
    extra=""
    [ "$v" = old ] && extra="--tv 0 --no-keep-best"
    # shellcheck disable=SC2086
    scripts/srtune eval --model "$dir" --dataset "$dataset" --scale "$s" $eval_args $extra \
      --out "$out/eval-$name-$v" >&2 || echo "networks-set5: $name ($v) did not finish every image" >&2
  done
  rows+=("$name|$setting|$out/eval-$name")
}

build_enhancenet() { # S DIR: as scripts/models.sh builds it, taking --out DIR
  enhancenet_model "$1" "$3"
}

# Cheapest first, so a short run still fills most of the table.
row espcn-x4 "native (Eq. 2)" scripts/srtune build graphdef --graph "$real/opencv/ESPCN/ESPCN_x4.pb"
row espcn-x4-at-x2 "x4 network at x2 (Eq. 1)" scripts/srtune build graphdef --graph "$real/opencv/ESPCN/ESPCN_x4.pb" --scale 2
row fsrcnn-x3 "native (Eq. 2)" scripts/srtune build graphdef --graph "$real/opencv/FSRCNN/FSRCNN_x3.pb"
row fsrcnn-small-x4 "native (Eq. 2)" scripts/srtune build graphdef --graph "$real/opencv/FSRCNN/FSRCNN-small_x4.pb"
row fsrcnn-small-x4-at-x2 "x4 network at x2 (Eq. 1)" scripts/srtune build graphdef --graph "$real/opencv/FSRCNN/FSRCNN-small_x4.pb" --scale 2
row dcscn-x2 "native (Eq. 2)" scripts/srtune build checkpoint --meta "$real/dcscn/dcscn_L2_F4to4_PS_R1F4.ckpt.meta"
row dcscn-x4 "native (Eq. 2)" scripts/srtune build checkpoint --meta "$real/dcscn/dcscn_L2_F4to4_Sc4_PS_R1F4.ckpt.meta"
row lapsrn-x8-out-x2 "its own x2 output (Eq. 1)" scripts/srtune build graphdef --graph "$real/opencv/LapSRN/LapSRN_x8.pb" --scale 2
row esrgan-slim-x4-at-x2 "x4 network at x2 (Eq. 1)" scripts/srtune build upscalerjs --package esrgan-slim --model x4 --scale 2
row enhancenet-x4-at-x2 "x4 network at x2 (Eq. 1)" build_enhancenet 2
row lapsrn-x8-out-x4 "its own x4 output (Eq. 1)" scripts/srtune build graphdef --graph "$real/opencv/LapSRN/LapSRN_x8.pb" --scale 4
row esrgan-slim-x4 "native (Eq. 2)" scripts/srtune build upscalerjs --package esrgan-slim --model x4
row gans-x4-at-x2 "x4 network at x2 (Eq. 1)" scripts/srtune build upscalerjs --package @upscalerjs/esrgan-legacy --model gans --scale 2
row enhancenet-x4-at-x3 "x4 network at x3 (Eq. 1)" build_enhancenet 3
row enhancenet-x4 "native (Eq. 2)" build_enhancenet 4
row gans-x4 "native (Eq. 2)" scripts/srtune build upscalerjs --package @upscalerjs/esrgan-legacy --model gans
row lapsrn-x8 "native (Eq. 2)" scripts/srtune build graphdef --graph "$real/opencv/LapSRN/LapSRN_x8.pb"
# Issue 29: a pre-upsampling TF1 checkpoint (V1 format) and a Keras .h5 GAN generator.
row srcnn-x3 "native (Eq. 2)" scripts/srtune build checkpoint --meta "$real/srcnn/SRCNN.model-2550000.meta" --scale 3
AT_SCALE=2 row srcnn-x3-at-x2 "x3 pre-upsampling network at x2 (Eq. 1, no surgery)" scripts/srtune build checkpoint \
  --meta "$real/srcnn/SRCNN.model-2550000.meta" --scale 3
row fast-srgan-x4 "native (Eq. 2)" scripts/srtune build keras --h5 "$real/keras/fast-srgan/generator.h5"

cpu="$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(nproc) CPUs, flags: $(grep -m1 '^flags' /proc/cpuinfo \
  | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_vnni|avx512_bf16|avx_vnni|amx_.*)$' | tr '\n' ' ')"
table="$out/table.md"
CPU="$cpu" node - "${rows[@]}" > "$table" <<'JS'
const fs = require('fs');
const read = (dir) => { try { return JSON.parse(fs.readFileSync(dir + '/results.json', 'utf8')); } catch (e) { return null; } };
const f = (x) => (typeof x === 'number' ? x.toFixed(2) : '–');
const pair = (m) => (m ? `${f(m.psnr_rgb)} / ${f(m.psnr_y)}` : '–');
console.log(`Set5, HR-PSNR in dB as RGB [0,1] unshaved / Y (BT.601) with the scale shaved, mean over the images ` +
  `finished; LR made as \`srtune degrade\` makes it (MATLAB bicubic), A = bicubic. old = the fast schedule before ` +
  `issue 28 (\`--tv 0 --no-keep-best\`), new = the default (TV 0.001, keep-best with backtracking). ` +
  `CPU: ${process.env.CPU}. Made by \`scripts/networks-set5.sh\`.\n`);
console.log('| network | setting | scale | images | bicubic | start | old: end | old: it | old: s | old: images < start | new: end | new: it | new: s | new: images < start | new − start (RGB) |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
for (const spec of process.argv.slice(2)) {
  const [name, setting, base] = spec.split('|');
  const o = read(base + '-old');
  const n = read(base + '-new');
  const any = n || o;
  if (!any) continue;
  const a = any.averages;
  const below = (r) => (r ? r.images.filter((i) => i.end.psnr_rgb < i.start.psnr_rgb).length : '–');
  const done = n ? `${n.images_finished}/${n.images_total}` : `${o.images_finished}/${o.images_total}`;
  console.log(`| ${name} | ${setting} | x${any.scale} | ${done} | ${pair(a.bicubic)} | ${pair(a.start)} | ` +
    `${o ? pair(o.averages.end) : '–'} | ${o ? o.averages.iterations.toFixed(0) : '–'} | ${o ? o.averages.seconds.toFixed(0) : '–'} | ${below(o)} | ` +
    `${n ? pair(n.averages.end) : '–'} | ${n ? n.averages.iterations.toFixed(0) : '–'} | ${n ? n.averages.seconds.toFixed(0) : '–'} | ${below(n)} | ` +
    `${n ? (n.averages.end.psnr_rgb - n.averages.start.psnr_rgb >= 0 ? '+' : '') + f(n.averages.end.psnr_rgb - n.averages.start.psnr_rgb) : '–'} |`);
}
JS
cat "$table"
if [ -n "$publish" ]; then
  mkdir -p "$publish"
  cp "$table" "$publish/set5-table.md"
  for r in "${rows[@]}"; do
    base="${r##*|}"
    for v in $variants; do
      [ -f "$base-$v/results.csv" ] || continue
      mkdir -p "$publish/set5/$(basename "$base")-$v"
      cp "$base-$v/results.md" "$base-$v/results.csv" "$publish/set5/$(basename "$base")-$v/"
    done
  done
fi
