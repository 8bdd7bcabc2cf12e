# Usage: python3 psnr_y.py SR.png HR.png LR.png SCALE
# PSNR-Y (MATLAB rgb2ycbcr, 8-bit, shave s) of an SR PNG and of PIL's bicubic upscaling of the LR, against the HR.
import numpy as np, sys
from PIL import Image
def y(a): a = a.astype(np.float64); return 16 + (65.481*a[...,0] + 128.553*a[...,1] + 24.966*a[...,2]) / 255
def psnr(a, b, s):
    d = (y(a) - y(b))[s:-s, s:-s]; return 10*np.log10(255**2 / np.mean(d**2))
sr, hr, lr, s = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
H = np.asarray(Image.open(hr).convert("RGB")); L = Image.open(lr).convert("RGB")
B = np.asarray(L.resize((L.width*s, L.height*s), Image.BICUBIC))
S = np.asarray(Image.open(sr).convert("RGB"))
h, w = min(H.shape[0], S.shape[0]), min(H.shape[1], S.shape[1])
print(f"sr {psnr(S[:h,:w], H[:h,:w], s):.2f} pil_bicubic {psnr(B[:h,:w], H[:h,:w], s):.2f}")
