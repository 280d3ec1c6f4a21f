"""Run one command as a child and report its wall time and peak RSS (internal helper).

    python benchmarks/_measure.py RESULT.json STDOUT.log STDERR.log -- CMD [ARG...]

Started fresh for every measured run, so `getrusage(RUSAGE_CHILDREN).ru_maxrss` (the largest
resident set of any waited-for descendant; kilobytes on Linux) is the peak of that run alone.
This process imports nothing heavy and its own memory is not part of the figure.
"""

import json
import os
import resource
import subprocess
import sys
import threading
import time


def tree_rss_kb(root: int) -> int:
    """The summed resident set of `root` and all its descendants now (from /proc), in KB."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="ascii", errors="replace") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm", encoding="ascii") as fh:
                pages = int(fh.read().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(int(fields[1]), []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def main() -> int:
    result, out_log, err_log, sep, *cmd = sys.argv[1:]
    assert sep == "--" and cmd, __doc__
    load_before = os.getloadavg()
    with open(out_log, "wb") as out, open(err_log, "wb") as err:
        started = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=out, stderr=err)
        peak = [0]

        def sample() -> None:  # every 50 ms: the sum over the whole process tree
            while child.poll() is None:
                peak[0] = max(peak[0], tree_rss_kb(child.pid))
                time.sleep(0.05)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = child.wait()
        wall = time.perf_counter() - started
        sampler.join()
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(result, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "returncode": code,
                "wall_s": wall,
                "maxrss_kb": usage.ru_maxrss,  # the largest single process
                "tree_rss_kb": peak[0],  # the largest sum over the process tree, sampled
                "user_s": usage.ru_utime,
                "sys_s": usage.ru_stime,
                # 1-minute load average before and after: a load well above 1 during a
                # run means something else competed for the 2 cores (see the README).
                "loadavg_before": load_before[0],
                "loadavg_after": os.getloadavg()[0],
            },
            fh,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
