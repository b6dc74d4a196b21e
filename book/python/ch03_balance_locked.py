# Tutorial 003, section 6 ("Lock"), second program: the same two threads, each
# change_it(n) done while holding a threading.Lock, so the balance ends at 0.
# Copied as the seed has it (it is Python 3 already); only these comments are new.
# book/python/compare.py runs it beside the Rust program `balance` (the solution).
import time, threading

balance = 0
lock = threading.Lock()


def change_it(n):
    global balance
    balance = balance + n
    balance = balance - n


def run_thread(n):
    for i in range(2000000):
        lock.acquire()
        try:
            change_it(n)
        finally:
            # release the lock
            lock.release()


thread1 = threading.Thread(target = run_thread, args = (5,))
thread2 = threading.Thread(target = run_thread, args = (8,))
thread1.start()
thread2.start()
thread1.join()
thread2.join()
print(balance)
