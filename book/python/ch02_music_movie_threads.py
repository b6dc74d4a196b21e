# Tutorial 000, section 10.2.1 (the threading module): the same player, music and
# movie each on its own thread, so the evening takes as long as the longer of the
# two: 10 s instead of 14 s. The seed is already Python 3. One change, for
# book/python/compare.py: an optional argument SCALE multiplies every sleep
# (compare.py passes 0.1); with no argument the program is the seed's.
import sys
from time import sleep, ctime
import threading

SCALE = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


def music(func, loop):
    for i in range(loop):
        print("I was listening to %s! %s" % (func, ctime()))
        sleep(2 * SCALE)


def movie(func, loop):
    for i in range(loop):
        print("I was at the %s！ %s" % (func, ctime()))
        sleep(5 * SCALE)


# the list of threads
threads = []
# thread t1, added to the list
t1 = threading.Thread(target=music, args=('爱情买卖', 2))
threads.append(t1)
# thread t2, added to the list
t2 = threading.Thread(target=movie, args=('tree', 2))
threads.append(t2)

if __name__ == '__main__':
    # start the threads
    for t in threads:
        t.start()
    # join() waits for each thread to end; without it "all end" could be printed
    # while the threads still play
    for t in threads:
        t.join()
    print('all end: %s' % ctime())
