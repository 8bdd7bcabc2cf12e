# Usage: python3 opencv_lr.py SCALE DATASET_DIR OUT_DIR NAME... (writes NAME_xS.png and the modcropped NAME_hr_xS.png)
# LR as OpenCV's cv2.resize(INTER_CUBIC) makes it: point-sampled cubic (a=-0.75), no antialiasing; 8-bit rounded.
import numpy as np, sys
from PIL import Image
def cubic(x, a=-0.75):
    x = np.abs(x)
    return np.where(x <= 1, (a+2)*x**3-(a+3)*x**2+1, np.where(x < 2, a*x**3-5*a*x**2+8*a*x-4*a, 0))
def resize_axis(img, n_out, axis):
    n_in = img.shape[axis]; s = n_in / n_out
    src = (np.arange(n_out)+0.5)*s-0.5; i0 = np.floor(src).astype(int)
    out = 0
    for k in range(-1, 3):
        idx = np.clip(i0+k, 0, n_in-1); w = cubic(src-(i0+k))
        shape = [1]*img.ndim; shape[axis] = n_out
        out = out + np.take(img, idx, axis=axis)*w.reshape(shape)
    return out
for name in sys.argv[4:]:
    s = int(sys.argv[1])
    hr = np.asarray(Image.open(f"{sys.argv[2]}/{name}.png").convert("RGB")).astype(np.float64)
    h, w = hr.shape[0]//s*s, hr.shape[1]//s*s; hr = hr[:h,:w]
    lr = resize_axis(resize_axis(hr, h//s, 0), w//s, 1)
    Image.fromarray(np.clip(np.round(lr),0,255).astype(np.uint8)).save(f"{sys.argv[3]}/{name}_x{s}.png")
    Image.fromarray(hr.astype(np.uint8)).save(f"{sys.argv[3]}/{name}_hr_x{s}.png")
