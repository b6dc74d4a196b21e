# The seeds' claim, measured: "because of the GIL, threads do not make CPU-bound
# programs faster; each process has its own GIL, so multiprocessing uses every core"
# (tutorial 000, section 10.3.1; tutorial 002, section 10.3.1).
#
# The program is tutorial 004's example 5 (a pool maps a task over a list, timed)
# with its 10 ms sleep replaced by CPU work: counting the primes below 20,000 by trial
# division, 32 times, as the chapter's benchmark and `cpu_vs_io::cpu_bound` do. The
# argument picks the pool: `threads` (multiprocessing.pool.ThreadPool, the same API on
# threads), `processes` (multiprocessing.Pool) or `sequential` (the built-in map);
# the second, WORKERS, defaults to the seed's multiprocessing.cpu_count().
# book/python/compare.py runs it beside the Rust programs.
import multiprocessing
import multiprocessing.pool
import sys
import time


def count_primes(n):
    count = 0
    for k in range(2, n):
        d = 2
        while d * d <= k:
            if k % d == 0:
                break
            d += 1
        else:
            count += 1
    return count


if __name__ == '__main__':
    how = sys.argv[1] if len(sys.argv) > 1 else 'processes'
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else multiprocessing.cpu_count()
    i_list = [20000] * 32
    time1 = time.time()
    if how == 'threads':
        results = multiprocessing.pool.ThreadPool(workers).map(count_primes, i_list)
    elif how == 'processes':
        results = multiprocessing.Pool(workers).map(count_primes, i_list)
    elif how == 'sequential':
        results = list(map(count_primes, i_list))
    else:
        sys.exit('usage: ch07_cpu_map.py threads|processes|sequential [WORKERS]')
    time2 = time.time()
    print('time elapse:', time2 - time1)
    print(results[0])
