# Tutorial 003, section 6 ("Lock"), first program: two threads change one global
# balance 2,000,000 times each with no lock. The seed says "run it a few times: the
# result is not 0". Copied as the seed has it (it is Python 3 already); only these
# comments are new. Whether it prints 0 depends on the interpreter: with a GIL, an
# update is lost only when a thread switch falls between the read and the write of
# `balance = balance + n`, which current CPython versions seldom do there; a
# free-threaded CPython (3.13t and later) runs both threads at once. compare.py records
# what every run printed.
# book/python/compare.py runs it beside the Rust program `balance`.
import time, threading

balance = 0


def change_it(n):
    global balance
    balance = balance + n
    balance = balance - n


def run_thread(n):
    # The threads take turns: the balance is not necessarily 0 at the end.
    for i in range(2000000):
        change_it(n)


thread1 = threading.Thread(target = run_thread, args = (5,))
thread2 = threading.Thread(target = run_thread, args = (8,))
thread1.start()
thread2.start()
thread1.join()
thread2.join()
print(balance)
