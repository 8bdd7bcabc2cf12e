# Usage: python3 stop_rule_replay.py DIR     (DIR: tune outputs run with --stop none --hr-every 10, one per subfolder)
# Replays the plateau stop rule (best LR-PSNR in the last W iterations vs best before, delta 0.04 dB; optionally on
# a running mean of s measurements) on each run's curve: where it would stop, and the HR-PSNR there.
import json, sys, glob, os
def rule(c, W, delta=0.04, smooth=1):
    # c: list of (it, lr, hr); the plateau rule best-in-(t-W,t] vs best-before on lr (optionally a running mean of k)
    vals = []
    for i, (it, lr, hr) in enumerate(c):
        k = c[max(0, i - smooth + 1): i + 1]
        vals.append((it, sum(x[1] for x in k) / len(k), hr))
    for i, (t, v, hr) in enumerate(vals):
        if t < W: continue
        before = [x[1] for x in vals if x[0] <= t - W]
        recent = [x[1] for x in vals if t - W < x[0] <= t]
        if before and max(recent) - max(before) <= delta:
            return t, hr
    return vals[-1][0], vals[-1][2]
rows = {}
for f in sorted(glob.glob(os.path.join(sys.argv[1], '*', 'report.json'))):
    name = f.split('/')[-2]
    c = [(e['iteration'], e['lr_psnr'], e['hr_psnr']) for e in json.load(open(f))['curve'] if e.get('hr_psnr') is not None]
    out = [name]
    for W, s in ((30, 1), (60, 1), (90, 1), (30, 3), (30, 5)):
        t, hr = rule(c, W, smooth=s); out.append(f"W{W}s{s}: {t} {hr:.2f}")
    out.append(f"end {c[-1][0]} {c[-1][2]:.2f}  max {max(x[2] for x in c):.2f}")
    print(" | ".join(out))
