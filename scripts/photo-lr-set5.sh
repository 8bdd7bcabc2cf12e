#!/usr/bin/env bash
# Users' LR images on Set5 x2 (issue 22's table): EnhanceNet x4 built for x2, the fast schedule to its stop, on the
# clean LR (srtune degrade: MATLAB bicubic), the LR saved by PIL as JPEG quality 50/70/90 (libjpeg-turbo, 4:2:0), and
# the LR with Gaussian noise sigma 5 and 10 (seeded). Each degraded LR is tuned the plain way (--jpeg none, no noise
# rule) and with the choice srtune makes for it (JPEG: --jpeg auto with JPEG_FLAGS; noise: --noise auto). HR-PSNR
# (RGB, as report.json's hr_psnr) start / end, and PIL's bicubic upscaling of the same LR, into one markdown table.
# Usage: scripts/photo-lr-set5.sh [IMAGES...]        (default: baby bird butterfly head woman)
# Environment (optional): OUT=eval-output/photo-lr   CONDITIONS="clean q50 q70 q90 n5 n10"
#   JPEG_FLAGS="..."  the JPEG-aware run's options (default: srtune's defaults for a JPEG input)
# Runs resume: a condition with a report.json is not run again. Needs python3 with numpy and PIL (the encoder).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
shared="${SRTUNE_SHARED:-$root/../shared}"
out="${OUT:-eval-output/photo-lr}"
conditions="${CONDITIONS:-clean q50 q70 q90 n5 n10}"
jpeg_flags="${JPEG_FLAGS:-}"
images=("$@")
[ ${#images[@]} -gt 0 ] || images=(baby bird butterfly head woman)
py="${PYTHON:-python3}"
"$py" -c "import numpy, PIL" 2>/dev/null || py=/usr/bin/python3
model="saved-models/enhancenet-x2"
[ -f "$model/saved_model.pb" ] || scripts/srtune build enhancenet --checkpoint "$shared/models/enhancenet/weights" \
  --scale 2 --out "$model" >&2
tune() { # NAME INPUT [OPTIONS...]
  local dir="$1" in="$2"; shift 2
  d="$(dirname "$dir")"
  [ -f "$dir/report.json" ] && return 0
  scripts/srtune tune --model "$model" --input "$in" --hr "$d/hr.png" --out "$dir" --lpips none "$@" \
    > "$dir.log" 2>&1 || { echo "photo-lr-set5: $dir failed, see $dir.log" >&2; return 0; }
}
for im in "${images[@]}"; do
  d="$out/$im"
  mkdir -p "$d"
  [ -f "$d/n10.png" ] && continue
  "$py" - "$shared/datasets/Set5/$im.png" "$d/hr.png" <<'PY'
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB"); w, h = im.size
im.crop((0, 0, w - w % 2, h - h % 2)).save(sys.argv[2])
PY
  scripts/srtune degrade --input "$d/hr.png" --scale 2 --out "$d/lr.png" >&2
  "$py" scripts/checks/photo_lr.py "$d/lr.png" "$d"
done
# Condition by condition over the images, so that an interrupted run has whole rows of the table.
for c in $conditions; do
  for im in "${images[@]}"; do
    d="$out/$im"
    case "$c" in
      clean) tune "$d/clean" "$d/lr.png" ;;
      q*) tune "$d/$c-plain" "$d/$c.jpg" --jpeg none
          # shellcheck disable=SC2086
          tune "$d/$c-aware" "$d/$c.jpg" $jpeg_flags ;;
      n*) tune "$d/$c-plain" "$d/$c.png"
          tune "$d/$c-aware" "$d/$c.png" --noise auto ;;
    esac
  done
done
"$py" - "$out" "$conditions" "${images[@]}" <<'PY'
import json, os, sys, subprocess
import numpy as np
from PIL import Image
out, conditions, images = sys.argv[1], sys.argv[2].split(), sys.argv[3:]
def psnr_bicubic(lr, hr):
    L = Image.open(lr).convert("RGB"); H = np.asarray(Image.open(hr).convert("RGB")).astype(np.float64)
    B = np.asarray(L.resize((L.width * 2, L.height * 2), Image.BICUBIC)).astype(np.float64)
    return 10 * np.log10(255 ** 2 / np.mean((B - H[:B.shape[0], :B.shape[1]]) ** 2))
def rep(path):
    f = os.path.join(path, "report.json")
    return json.load(open(f)) if os.path.exists(f) else None
rows = ["| image | LR | bicubic (PIL) | start | end, plain | end, srtune's choice | iterations plain / choice "
        "| recovered of what the LR's damage costs (clean end - plain end) |",
        "|---|---|---|---|---|---|---|---|"]
means = {}
for im in images:
    d = os.path.join(out, im)
    for c in conditions:
        lr = os.path.join(d, "lr.png" if c == "clean" else c + (".jpg" if c.startswith("q") else ".png"))
        plain = rep(os.path.join(d, "clean" if c == "clean" else c + "-plain"))
        aware = None if c == "clean" else rep(os.path.join(d, c + "-aware"))
        if plain is None:
            continue
        b = psnr_bicubic(lr, os.path.join(d, "hr.png"))
        s, e = plain["hr_psnr"]["start"], plain["hr_psnr"]["end"]
        a = aware["hr_psnr"]["end"] if aware else float("nan")
        its = f'{plain["iterations"]} / {aware["iterations"] if aware else "-"}'
        label = {"clean": "clean PNG"}.get(c, f"JPEG q{c[1:]}" if c.startswith("q") else f"noise sigma {c[1:]}")
        clean = rep(os.path.join(d, "clean"))
        cost = clean["hr_psnr"]["end"] - e if clean and c != "clean" else float("nan")
        rec = f"{(a - e) / cost * 100:.0f}% of {cost:.2f} dB" if cost == cost and aware else "-"
        rows.append(f"| {im} | {label} | {b:.2f} | {s:.2f} | {e:.2f} | {a:.2f} | {its} | {rec} |")
        means.setdefault(label, []).append((b, s, e, a, cost))
rows += ["", "| mean over images | bicubic | start | end, plain | end, choice | recovered |", "|---|---|---|---|---|---|"]
for label, v in means.items():
    m = np.mean(np.array(v), axis=0)
    rec = f"{(m[3] - m[2]) / m[4] * 100:.0f}% of {m[4]:.2f} dB" if m[4] == m[4] and m[3] == m[3] else "-"
    rows.append(f"| {label} ({len(v)}) | {m[0]:.2f} | {m[1]:.2f} | {m[2]:.2f} | {m[3]:.2f} | {rec} |")
open(os.path.join(out, "table.md"), "w").write("\n".join(rows) + "\n")
print("\n".join(rows))
PY
