# Usage: python3 noise_sigma.py IMAGE...
# The noise estimate srtune's NoiseLevel makes, computed independently: Donoho's median |finest diagonal Haar
# coefficient| / 0.6745 over the 20% of 8x8 patches with the least horizontal+vertical Haar energy, patches whose 2x2
# means reach below 15 or above 240 left out; per RGB channel, averaged (0..255). Also the LR-PSNR at which the
# discrepancy rule stops.
import sys
import numpy as np
from PIL import Image
def sigma(f, frac=0.2):
    a = np.asarray(Image.open(f).convert("RGB")).astype(np.float64)
    a = a[:a.shape[0] // 8 * 8, :a.shape[1] // 8 * 8]
    out = []
    for c in range(3):
        x = a[..., c]
        p, q, r, s = x[0::2, 0::2], x[0::2, 1::2], x[1::2, 0::2], x[1::2, 1::2]
        hh, lh, hl, ll = np.abs(p - q - r + s) / 2, (p + q - r - s) / 2, (p - q + r - s) / 2, (p + q + r + s) / 4
        H, W = hh.shape[0] // 4, hh.shape[1] // 4
        P = lambda b: b.reshape(H, 4, W, 4).transpose(0, 2, 1, 3).reshape(H * W, 16)
        detail = (P(lh) ** 2 + P(hl) ** 2).sum(axis=1)
        ok = (P(ll).min(axis=1) > 15) & (P(ll).max(axis=1) < 240)
        idx = np.flatnonzero(ok) if ok.any() else np.arange(len(detail))
        idx = idx[np.argsort(detail[idx], kind="stable")][:max(1, int(frac * len(idx)))]
        out.append(np.median(P(hh)[idx]) / 0.6745)
    return np.mean(out)
for f in sys.argv[1:]:
    s = sigma(f)
    print(f"{f}: sigma {s:.3f}/255, stops at LR-PSNR {20 * np.log10(255 / max(s, 1e-9)):.2f} dB")
