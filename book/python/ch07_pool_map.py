# Tutorial 004, example 5 ("measure one process against many"): a process pool maps
# a 10 ms task over 1000 inputs, then the built-in map does the same on one process.
#
# The seed is Python 2; translated to Python 3:
# - `print 'time elapse:', t` became print('time elapse:', t);
# - the sequential `map(m1, i_list)` became list(map(m1, i_list)): in Python 3 `map`
#   is lazy, so the seed's line would run no task at all and time nothing.
# Two optional arguments, for book/python/compare.py: WORKERS (default: the seed's
# multiprocessing.cpu_count()) and `pool-only`, which skips the sequential map (it
# takes 10 s every time). With no argument the program is the seed's.
import multiprocessing
import sys
import time


def m1(x):
    time.sleep(0.01)
    return x * x


if __name__ == '__main__':
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else multiprocessing.cpu_count()
    pool_only = 'pool-only' in sys.argv[2:]
    pool = multiprocessing.Pool(workers)  # a pool of worker processes
    i_list = range(1000)
    time1 = time.time()
    pool.map(m1, i_list)  # the pool runs m1 on every input, many at once
    time2 = time.time()
    print('time elapse:', time2 - time1)
    # the same on the main process alone
    if not pool_only:
        time1 = time.time()
        list(map(m1, i_list))
        time2 = time.time()
        print('time elapse:', time2 - time1)
