# The seed's unlocked balance (tutorial 003) with one change: the addition is done by a
# Python function, `add`, so the read of `balance` and the write back are separated by a
# call. CPython 3.10 and later switch threads only at such points (a call, the jump back
# of a loop), never between the two halves of `balance = balance + n`, which is why the
# seed's own program prints 0 on them; here a switch can fall between the read and the
# write, and updates are lost on every run. No lock: the program is as wrong as the seed's.
import threading

balance = 0


def add(a, b):
    return a + b


def change_it(n):
    global balance
    balance = add(balance, n)
    balance = add(balance, -n)


def run_thread(n):
    for i in range(2000000):
        change_it(n)


if __name__ == '__main__':
    thread1 = threading.Thread(target=run_thread, args=(5,))
    thread2 = threading.Thread(target=run_thread, args=(8,))
    thread1.start()
    thread2.start()
    thread1.join()
    thread2.join()
    print(balance)
