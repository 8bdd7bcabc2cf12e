#!/usr/bin/env bash
# Issue 12 / the paper's Section V-B on Set5 x4 (or any folder of HR PNGs): Monte-Carlo dropout variance of a
# GAN-trained network before and after fine-tuning, and fine-tuning with and without the variance-masked loss, all
# runs of one image under the same iteration budget.
# Usage: scripts/uncertainty-set5.sh [DATASET_DIR]
# Environment (all optional):
#   MODELS="enhancenet esrgan-gans"   which networks: enhancenet (EnhanceNet-PAT x4, A = PIL lanczos3, its training
#                                     operator) and esrgan-gans (UpscalerJS esrgan-legacy 'gans', RRDN, A = bicubic)
#   VARIANTS="plain soft hard"        plain: the paper's loss; soft: --mask variance; hard: --mask variance:0.9
#   MAX_ITERS=300                     iterations per run (the fast schedule's whole cosine); --stop none, so every
#                                     run of one image gets the same budget
#   PASSES=50  DROPOUT=0.0005  SEED=0 the variance maps (the paper's settings)
#   OUT=eval-output/uncertainty       where the runs go (a finished run, with its report.json, is skipped)
#   PUBLISH=docs/results/uncertainty  where the table and the strips are copied ("" to skip)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${SRTUNE_SHARED:-$root/../shared}"
dataset="${1:-$shared/datasets/Set5}"
models="${MODELS:-enhancenet esrgan-gans}"
variants="${VARIANTS:-plain soft hard}"
max_iters="${MAX_ITERS:-300}"
passes="${PASSES:-50}"
dropout="${DROPOUT:-0.0005}"
seed="${SEED:-0}"
out="${OUT:-eval-output/uncertainty}"
publish="${PUBLISH-docs/results/uncertainty}"
export TF_CPP_MIN_LOG_LEVEL="${TF_CPP_MIN_LOG_LEVEL:-2}"
export TF_ENABLE_ONEDNN_OPTS="${TF_ENABLE_ONEDNN_OPTS:-1}"

if [ ! -d "$dataset" ]; then
  echo "uncertainty-set5: dataset folder $dataset not found; pass a folder of HR PNG images." >&2
  exit 2
fi
. scripts/models.sh
command -v node >/dev/null || { echo "uncertainty-set5: node (from Node.js) writes the table; install it." >&2; exit 2; }

model_dir() { # name -> SavedModel folder (built when missing)
  case "$1" in
    enhancenet)
      local dir=saved-models/enhancenet-x4
      enhancenet_model 4 "$dir" ;;
    esrgan-gans)
      local dir=saved-models/esrgan-legacy-gans
      [ -f "$dir/saved_model.pb" ] || scripts/srtune build upscalerjs --package @upscalerjs/esrgan-legacy --model gans \
        --out "$dir" >&2 ;;
    *) echo "uncertainty-set5: unknown model '$1' (use enhancenet, esrgan-gans)" >&2; exit 2 ;;
  esac
  echo "$dir"
}

for name in $models; do
  model=$(model_dir "$name")
  case "$name" in enhancenet) down=lanczos3 ;; *) down=bicubic ;; esac
  mkdir -p "$out/$name/lr"
  for hr in "$dataset"/*.png; do
    img=$(basename "$hr" .png)
    lr="$out/$name/lr/$img.png"
    [ -f "$lr" ] || scripts/srtune degrade --input "$hr" --scale 4 --downsampler "$down" --out "$lr"
    for v in $variants; do
      case "$v" in
        plain) extra=() ;;
        soft) extra=(--mask variance) ;;
        hard) extra=(--mask variance:0.9) ;;
        *) echo "uncertainty-set5: unknown variant '$v' (use plain, soft, hard)" >&2; exit 2 ;;
      esac
      run="$out/$name/$v/$img"
      if [ -f "$run/report.json" ]; then continue; fi
      echo "== $name $v $img"
      scripts/srtune tune --model "$model" --input "$lr" --hr "$hr" --scale 4 --downsampler "$down" \
        --max-iters "$max_iters" --stop none --uncertainty "$passes" --dropout "$dropout" --dropout-seed "$seed" \
        "${extra[@]}" --out "$run"
    done
  done
done

# One table: per model and image, the mean variance before and after, HR-PSNR (RGB, 8-bit output) and HR-LPIPS
# (the LPIPS backbone srtune finds) per variant.
table="$out/table.md"
node - "$out" "$models" "$variants" "$max_iters" > "$table.tmp" <<'EOF'
const fs = require('fs'), path = require('path');
const [out, models, variants, iters] = process.argv.slice(2);
const read = (f) => { try { return JSON.parse(fs.readFileSync(f, 'utf8')); } catch (e) { return null; } };
const fx = (x, d) => (x === undefined || x === null) ? '–' : Number(x).toFixed(d);
const ex = (x) => (x === undefined || x === null) ? '–' : Number(x).toExponential(2);
const lines = [];
for (const m of models.split(/\s+/).filter(Boolean)) {
  const vs = variants.split(/\s+/).filter(Boolean);
  lines.push(`### ${m} x4, ${iters} iterations per run`, '');
  lines.push('| image | ' + vs.map((v) => `${v}: var start → end | ${v}: HR-PSNR start → end | ${v}: LPIPS start → end`).join(' | ') + ' |');
  lines.push('|---|' + vs.map(() => '---|---|---|').join(''));
  const dir0 = path.join(out, m, vs[0]);
  const imgs = fs.existsSync(dir0) ? fs.readdirSync(dir0).sort() : [];
  const sums = {};
  for (const img of imgs) {
    const cells = [];
    for (const v of vs) {
      const r = read(path.join(out, m, v, img, 'report.json'));
      const u = (r && r.uncertainty && r.uncertainty.mean_variance) || {};
      const p = (r && r.hr_psnr) || {}, l = (r && r.hr_lpips) || {};
      const row = [u.start, u.end, p.start, p.end, l.start, l.end];
      (sums[v] = sums[v] || []).push(row);
      cells.push(`${ex(row[0])} → ${ex(row[1])}`, `${fx(row[2], 2)} → ${fx(row[3], 2)}`,
        `${fx(row[4], 4)} → ${fx(row[5], 4)}`);
    }
    lines.push(`| ${img} | ${cells.join(' | ')} |`);
  }
  const mean = (rows, i) => { const xs = rows.map((r) => r[i]).filter((x) => typeof x === 'number');
    return xs.length === rows.length && xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null; };
  lines.push('| **mean** | ' + vs.map((v) => { const rs = sums[v] || [];
    return `${ex(mean(rs, 0))} → ${ex(mean(rs, 1))} | ${fx(mean(rs, 2), 2)} → ${fx(mean(rs, 3), 2)} | ` +
      `${fx(mean(rs, 4), 4)} → ${fx(mean(rs, 5), 4)}`; }).join(' | ') + ' |', '');
}
console.log(lines.join('\n'));
EOF
mv "$table.tmp" "$table"
cat "$table"
if [ -n "$publish" ]; then
  mkdir -p "$publish"
  cp "$table" "$publish/set5-x4-table.md"
  for name in $models; do
    for s in "$out/$name"/plain/*/uncertainty_strip.png; do
      [ -f "$s" ] && cp "$s" "$publish/$name-$(basename "$(dirname "$s")")-strip.png"
    done
  done
fi
