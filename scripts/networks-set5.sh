#!/usr/bin/env bash
# The default on every network family srtune imports (issues 28 and 30): each network x Set5 at its native scale and
# at a scale-disagreement scale where its graph allows one, with three defaults side by side: old (the fast schedule
# before issue 28: `--schedule fast --tv 0 --no-keep-best`), new (issue 28's: `--schedule fast`, TV and keep-best)
# and planned (today's, no option: fast planned for 30 s). One markdown table, a row per network and scale: bicubic,
# start and end HR-PSNR (RGB [0,1] unshaved, and Y shaved), iterations, seconds; the CPU it ran on in the header;
# and per-image.md: for every image, new and planned's seconds and HR-PSNR side by side, and the ratio of times.
# Usage: scripts/networks-set5.sh [DATASET_DIR]
# Environment (all optional):
#   OUT=eval-output/networks        eval folders and built models (resumable: run again to continue or remake)
#   PUBLISH=docs/results/networks   where the table and the per-run results go ("" to skip)
#   ONLY="espcn lapsrn"             only the rows whose name contains one of these words
#   VARIANTS="old new planned"      which defaults to run
#   NEW_ONLY="enhancenet"           rows whose name contains one of these words do not run the old default (its
#                                   numbers are published elsewhere, e.g. docs/results/set5-x2)
#   EVAL_ARGS="--lpips none --hr-every 0"   options for every run (the default: HR-PSNR at the start and end only,
#                                   as a plain `tune` runs; an HR curve is whole-image passes a plan must count)
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
variants="${VARIANTS:-old new planned}"
new_only="${NEW_ONLY:-}"
eval_args="${EVAL_ARGS:---lpips none --hr-every 0}"
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
  for w in $new_only; do [[ "$name" == *"$w"* ]] && row_variants="${variants//old/}"; done
  # AT_SCALE=S row ...: evaluate at S rather than the scale the model records (a pre-upsampling network runs at any).
  s="${AT_SCALE:-$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1] + "/srtune.json")).scale)' "$dir")}"
  for v in $row_variants; do
    case "$v" in
      old) extra="--schedule fast --tv 0 --no-keep-best" ;;
      new) extra="--schedule fast" ;;
      *) extra="" ;;
    esac
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
const variants = ['old', 'new', 'planned'];
console.log(`Set5, HR-PSNR in dB as RGB [0,1] unshaved / Y (BT.601) with the scale shaved, mean over the images ` +
  `finished; LR made as \`srtune degrade\` makes it (MATLAB bicubic), A = bicubic. old = the fast schedule before ` +
  `issue 28 (\`--schedule fast --tv 0 --no-keep-best\`), new = issue 28's default (\`--schedule fast\`: TV 0.001, ` +
  `keep-best with backtracking), planned = today's default (no option: new planned for 30 s). ` +
  `CPU: ${process.env.CPU}. Made by \`scripts/networks-set5.sh\`.\n`);
const head = variants.map((v) => `${v}: end | ${v}: it | ${v}: s | ${v}: images < start`).join(' | ');
console.log(`| network | setting | scale | images | bicubic | start | ${head} | planned − start (RGB) |`);
console.log('|' + '---|'.repeat(6 + 4 * variants.length + 1));
for (const spec of process.argv.slice(2)) {
  const [name, setting, base] = spec.split('|');
  const runs = variants.map((v) => read(base + '-' + v));
  const any = runs.find((r) => r);
  if (!any) continue;
  const a = any.averages;
  const below = (r) => r.images.filter((i) => i.end.psnr_rgb < i.start.psnr_rgb).length;
  const cells = runs.map((r) => (r ? `${pair(r.averages.end)} | ${r.averages.iterations.toFixed(0)} | ` +
    `${r.averages.seconds.toFixed(0)} | ${below(r)}` : '– | – | – | –')).join(' | ');
  const p = runs[2];
  const gain = p ? p.averages.end.psnr_rgb - p.averages.start.psnr_rgb : null;
  console.log(`| ${name} | ${setting} | x${any.scale} | ${any.images_finished}/${any.images_total} | ` +
    `${pair(a.bicubic)} | ${pair(a.start)} | ${cells} | ${gain === null ? '–' : (gain >= 0 ? '+' : '') + f(gain)} |`);
}
JS
# Per image: issue 28's default (fast) and today's (planned) back to back, seconds and HR-PSNR, and the time ratio.
CPU="$cpu" node - "${rows[@]}" > "$out/per-image.md" <<'JS'
const fs = require('fs');
const read = (dir) => { try { return JSON.parse(fs.readFileSync(dir + '/results.json', 'utf8')); } catch (e) { return null; } };
console.log(`Per image: fast (\`--schedule fast\`, issue 28's default) and planned (today's default), HR-PSNR RGB ` +
  `[0,1] unshaved, seconds of fine-tuning. CPU: ${process.env.CPU}. Made by \`scripts/networks-set5.sh\`.\n`);
console.log('| network | image | fast: s | fast: HR-PSNR | planned: s | planned: HR-PSNR | planned − fast (dB) | time ratio fast/planned |');
console.log('|---|---|---|---|---|---|---|---|');
for (const spec of process.argv.slice(2)) {
  const [name, , base] = spec.split('|');
  const fast = read(base + '-new');
  const planned = read(base + '-planned');
  if (!fast || !planned) continue;
  const ratios = [];
  const diffs = [];
  for (const p of planned.images) {
    const q = fast.images.find((i) => i.image === p.image);
    if (!q) continue;
    ratios.push(q.seconds / p.seconds);
    diffs.push(p.end.psnr_rgb - q.end.psnr_rgb);
    console.log(`| ${name} | ${p.image} | ${q.seconds.toFixed(1)} | ${q.end.psnr_rgb.toFixed(3)} | ${p.seconds.toFixed(1)} | ` +
      `${p.end.psnr_rgb.toFixed(3)} | ${(diffs[diffs.length - 1] >= 0 ? '+' : '') + diffs[diffs.length - 1].toFixed(3)} | ` +
      `${ratios[ratios.length - 1].toFixed(2)} |`);
  }
  const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;
  if (ratios.length) {
    console.log(`| ${name} | **mean** | | | | | ${(mean(diffs) >= 0 ? '+' : '') + mean(diffs).toFixed(3)} | ${mean(ratios).toFixed(2)} |`);
  }
}
JS
cat "$table"
if [ -n "$publish" ]; then
  mkdir -p "$publish"
  cp "$table" "$publish/set5-table.md"
  cp "$out/per-image.md" "$publish/set5-per-image.md"
  for r in "${rows[@]}"; do
    base="${r##*|}"
    for v in $variants; do
      [ -f "$base-$v/results.csv" ] || continue
      mkdir -p "$publish/set5/$(basename "$base")-$v"
      cp "$base-$v/results.md" "$base-$v/results.csv" "$publish/set5/$(basename "$base")-$v/"
    done
  done
fi
