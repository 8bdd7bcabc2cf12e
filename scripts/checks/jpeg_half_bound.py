# Usage: python3 jpeg_half_bound.py OUT [QUALITY]     (OUT: scripts/photo-lr-set5.sh's folder; QUALITY default 70)
# What recovering half of what a JPEG LR costs fine-tuning would take, from the table's own runs. Per image: the
# JPEG's error on the LR (MSE of qQ.jpg vs the clean lr.png, RGB), the HR MSE of the clean and the plain JPEG runs'
# ends, and how much of the LR error reaches the HR: g = (HR MSE added by the JPEG) / (LR MSE of the JPEG), for the
# plain fine-tuning and for PIL's bicubic. Half recovery is an HR-PSNR halfway (in dB) between the plain and the
# clean end; with the JPEG's HR error scaling as g times an LR error, a JPEG-free LR estimate would need the
# LR-PSNR printed (with bicubic's g, the smaller: the most optimistic), i.e. a deblocking gain of that many dB.
import json, os, sys
import numpy as np
from PIL import Image
out = sys.argv[1]; q = int(sys.argv[2]) if len(sys.argv) > 2 else 70
load = lambda p: np.asarray(Image.open(p).convert("RGB")).astype(np.float64) / 255
mse_db = lambda m: 10 * np.log10(1 / m)
rows = []
for im in sorted(os.listdir(out)):
    d = os.path.join(out, im)
    try:
        clean = json.load(open(os.path.join(d, "clean", "report.json")))["hr_psnr"]["end"]
        plain = json.load(open(os.path.join(d, f"q{q}-plain", "report.json")))["hr_psnr"]["end"]
    except (OSError, KeyError):
        continue
    lr, jp, hr = load(os.path.join(d, "lr.png")), load(os.path.join(d, f"q{q}.jpg")), load(os.path.join(d, "hr.png"))
    e_lr = np.mean((lr - jp) ** 2)
    up = lambda a: np.asarray(Image.fromarray(np.round(a * 255).astype(np.uint8)).resize(
        (a.shape[1] * 2, a.shape[0] * 2), Image.BICUBIC)).astype(np.float64) / 255
    h, w = hr.shape[:2]
    b_clean, b_jpeg = np.mean((up(lr)[:h, :w] - hr) ** 2), np.mean((up(jp)[:h, :w] - hr) ** 2)
    m_clean, m_plain = 10 ** (-clean / 10), 10 ** (-plain / 10)
    g_ft, g_b = (m_plain - m_clean) / e_lr, (b_jpeg - b_clean) / e_lr
    target = (clean + plain) / 2
    allowed = 10 ** (-target / 10) - m_clean
    need_b, need_ft = mse_db(allowed / g_b), mse_db(allowed / g_ft)
    rows.append((im, mse_db(e_lr), clean, plain, target, g_ft, g_b, need_b, need_ft))
print(f"| image | LR-PSNR of q{q} vs clean LR | clean end | plain end | half target | g fine-tuning | g bicubic "
      "| LR-PSNR needed (bicubic g) | (fine-tuning g) |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print("| {} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} (+{:.2f}) | {:.2f} (+{:.2f}) |".format(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[7] - r[1], r[8], r[8] - r[1]))
m = np.mean(np.array([r[1:] for r in rows]), axis=0)
print("| mean | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} | {:.2f} (+{:.2f}) | {:.2f} (+{:.2f}) |".format(
    m[0], m[1], m[2], m[3], m[4], m[5], m[6], m[6] - m[0], m[7], m[7] - m[0]))
