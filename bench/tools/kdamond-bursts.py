#!/usr/bin/env python3
# Each burst of the kernel's memory monitor's CPU (kdamond's /proc/<pid>/schedstat run time), polled every 4 ms:
# start and end (wall clock, the polls that saw it run), CPU ms. usage: kdamond-bursts.py <out.csv> <seconds>
import sys, time, glob
out, seconds = sys.argv[1], float(sys.argv[2])
pids = [p.split('/')[2] for p in glob.glob('/proc/[0-9]*/comm') if open(p).read().startswith('kdamond')]
if not pids:
    sys.exit("no kdamond runs on this machine (the kernel's memory monitor, DAMON, is off)")
f = f"/proc/{pids[0]}/schedstat"
def rd():
    with open(f) as h: return int(h.read().split()[0])
w = open(out, 'w'); w.write("start,end,cpu_ms\n")
last = rd(); prev = time.time(); cur = None; end = time.time() + seconds
while time.time() < end:
    time.sleep(0.004)
    now = time.time(); v = rd()
    if v > last:
        if cur is None: cur = [prev, now, 0]
        cur[1] = now; cur[2] += v - last
    elif cur is not None and now - cur[1] > 0.012:
        w.write("%.4f,%.4f,%.2f\n" % (cur[0], cur[1], cur[2] / 1e6)); w.flush(); cur = None
    last = v; prev = now
