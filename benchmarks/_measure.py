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
import time


def main() -> int:
    result, out_log, err_log, sep, *cmd = sys.argv[1:]
    assert sep == "--" and cmd, __doc__
    load_before = os.getloadavg()
    with open(out_log, "wb") as out, open(err_log, "wb") as err:
        started = time.perf_counter()
        code = subprocess.call(cmd, stdout=out, stderr=err)
        wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(result, "w", encoding="utf-8") as fh:
        json.dump(
            {
                "returncode": code,
                "wall_s": wall,
                "maxrss_kb": usage.ru_maxrss,
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
