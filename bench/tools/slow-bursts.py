#!/usr/bin/env python3
# Lines up a run's slow requests (bench/target/kept/<run>/slow.csv) with the kernel memory monitor's bursts of CPU
# (kdamond-bursts.py's CSV, recorded beside the run, or the kdamond.csv the benchmark keeps) over an open loop (its phase named by "open loop" in
# progress.csv): the bursts of slow requests (each due within 30 ms of the one before), how many of those of three or
# more overlap a kdamond burst (from 60 ms before it to its end) against the same with the kdamond bursts shifted
# (chance), and how many slow requests were due in the bursts' reach.
# usage: slow-bursts.py <kept run dir> <kdamond bursts csv>
import csv, sys, datetime as dt

def ts(s):
    s = s.rstrip('Z'); a, b = (s.split('.') + ['0'])[:2]
    return dt.datetime.fromisoformat(a + '.' + (b + '000000')[:6]).replace(tzinfo=dt.timezone.utc).timestamp()

kept, kd = sys.argv[1], sys.argv[2]
rows = sorted((ts(r['time']), float(r['latency_ms'])) for r in csv.DictReader(open(kept + '/slow.csv'))
              if 'open loop' in r['phase'] and r['measured'] == 'true')
phase = [ts(r['time']) for r in csv.DictReader(open(kept + '/progress.csv')) if 'open loop' in r['phase']]
w0, w1 = phase[0] - 1, phase[-1]
def when(s):  # kdamond-bursts.py writes seconds since the epoch, the benchmark's kdamond.csv ISO-8601 instants
    return ts(s) if 'T' in s else float(s)

kbursts = [(when(r['start']), when(r['end']), float(r['cpu_ms'])) for r in csv.DictReader(open(kd))]
kbursts = [b for b in kbursts if w0 <= b[0] <= w1]
episodes, cur = [], [rows[0]]
for r in rows[1:]:
    if r[0] - cur[-1][0] <= 0.030:
        cur.append(r)
    else:
        episodes.append(cur); cur = [r]
episodes.append(cur)
big = [e for e in episodes if len(e) >= 3]
held = sum(len(e) for e in big)
print(f"slow requests (over 20 ms, measured): {len(rows)}; in {len(big)} bursts of three or more: {held}")
cpu = sorted(b[2] for b in kbursts); span = sorted((b[1] - b[0]) * 1000 for b in kbursts)
gaps = sorted((b[0] - a[0]) * 1000 for a, b in zip(kbursts, kbursts[1:]))
print(f"kdamond over the open loop ({w1 - w0:.0f} s): {len(kbursts)} bursts, CPU median {cpu[len(cpu)//2]:.1f} ms "
      f"(max {cpu[-1]:.1f}), span median {span[len(span)//2]:.0f} ms, every {gaps[len(gaps)//2]:.0f} ms (median)")

def overlapping(shift):
    return sum(1 for e in big if any(b[0] + shift - 0.060 <= e[-1][0] and b[1] + shift >= e[0][0] - 0.060
                                     for b in kbursts))

print(f"bursts of slow requests overlapping a kdamond burst: {overlapping(0)} of {len(big)}; by chance (kdamond's "
      f"shifted +150, +250, -200 ms): {overlapping(0.15)}, {overlapping(0.25)}, {overlapping(-0.2)}")
for after in (0, 0.030, 0.060):
    reach = sum(min(b[1] + after, w1) - max(b[0] - 0.060, w0) for b in kbursts)
    inside = sum(1 for r in rows if any(b[0] - 0.060 <= r[0] <= b[1] + after for b in kbursts))
    print(f"due from 60 ms before a kdamond burst to {after*1000:.0f} ms after it ({100 * reach / (w1 - w0):.0f}% of "
          f"the time): {inside} of the slow requests")
