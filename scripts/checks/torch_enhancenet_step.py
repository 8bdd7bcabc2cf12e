# Usage: python3 torch_enhancenet_step.py LR_SIZE [REPEATS] [THREADS]
# PyTorch's time for what `srtune bench` calls a fine-tuning iteration on the full image: EnhanceNet x4 (conv+relu,
# 10 residual blocks, two nearest x2 upsamplings with conv+relu, conv+relu, conv to 3, plus the bicubic upscale of
# the input), A = a x4 bicubic downsampling (16x16 antialiased kernel, stride 4, per channel), the mean squared error
# against y, backward, one SGD-with-momentum step (lr 0.01, momentum 0.9). Random weights: the time does not depend
# on them. Prints the median and minimum over REPEATS after 2 warm-up iterations, and the forward pass alone.
import sys, time
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

n = int(sys.argv[1]); repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
torch.set_num_threads(threads); torch.manual_seed(0)

class EnhanceNet(nn.Module):
    def __init__(self):
        super().__init__()
        c = lambda i, o: nn.Conv2d(i, o, 3, padding=1)
        self.first = c(3, 64)
        self.blocks = nn.ModuleList([nn.ModuleList([c(64, 64), c(64, 64)]) for _ in range(10)])
        self.up1, self.up2, self.last1, self.last2 = c(64, 64), c(64, 64), c(64, 64), c(64, 3)
    def forward(self, x):
        h = F.relu(self.first(x))
        for a, b in self.blocks:
            h = h + b(F.relu(a(h)))
        h = F.relu(self.up1(F.interpolate(h, scale_factor=2, mode="nearest")))
        h = F.relu(self.up2(F.interpolate(h, scale_factor=2, mode="nearest")))
        h = self.last2(F.relu(self.last1(h)))
        return h + F.interpolate(x, scale_factor=4, mode="bicubic", align_corners=False)

def bicubic_kernel(scale):
    def cubic(t):
        t = abs(t)
        return (1.5 * t ** 3 - 2.5 * t ** 2 + 1) if t <= 1 else ((-0.5 * t ** 3 + 2.5 * t ** 2 - 4 * t + 2) if t < 2 else 0)
    taps = 4 * scale
    k = np.array([cubic((i - taps / 2 + 0.5) / scale) for i in range(taps)]); k /= k.sum()
    w = torch.tensor(np.outer(k, k), dtype=torch.float32)
    return w.expand(3, 1, taps, taps).contiguous()

net = EnhanceNet(); kernel = bicubic_kernel(4)
opt = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
y = torch.rand(1, 3, n, n)
def A(hr):
    return F.conv2d(F.pad(hr, (6, 6, 6, 6), mode="replicate"), kernel, stride=4, groups=3)
def step():
    opt.zero_grad(set_to_none=True)
    loss = F.mse_loss(A(net(y)), y)
    loss.backward(); opt.step()
times = []
for i in range(repeats + 2):
    t0 = time.perf_counter(); step(); t = time.perf_counter() - t0
    if i >= 2:
        times.append(t)
fw = []
with torch.no_grad():
    for i in range(repeats + 1):
        t0 = time.perf_counter(); net(y); t = time.perf_counter() - t0
        if i >= 1:
            fw.append(t)
print(f"pytorch {torch.__version__}, {threads} threads, LR {n}x{n}: forward median {np.median(fw) * 1e3:.1f} ms, "
      f"fine-tuning iteration median {np.median(times) * 1e3:.1f} ms (min {min(times) * 1e3:.1f}) over {repeats}")
