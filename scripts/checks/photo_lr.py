# Usage: python3 photo_lr.py LR.png OUTDIR
# What users' LR images look like: the clean LR saved by PIL (libjpeg-turbo, 4:2:0) as JPEG quality 50/70/90, and
# with Gaussian noise sigma 5/255 and 10/255 (seeded, rounded to 8 bits) as PNG.
import numpy as np, sys, os
from PIL import Image
lr, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
im = Image.open(lr).convert("RGB")
for q in (50, 70, 90):
    im.save(os.path.join(out, f"q{q}.jpg"), quality=q)
a = np.asarray(im).astype(np.float64)
for s in (5, 10):
    rng = np.random.default_rng(s)
    n = np.clip(np.round(a + rng.normal(0, s, a.shape)), 0, 255).astype(np.uint8)
    Image.fromarray(n).save(os.path.join(out, f"n{s}.png"))
