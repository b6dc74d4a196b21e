# Tutorial 000, section 10.1 (the single-threaded era), the player with loops: music
# twice (2 s each), then the movie twice (5 s each), one after another: 14 s.
# The seed is already Python 3. One change, for book/python/compare.py: an optional
# argument SCALE multiplies every sleep (compare.py passes 0.1, so the evening takes
# 1.4 s instead of 14 s); with no argument the program is the seed's.
import sys
from time import sleep, ctime

SCALE = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0


def music(func, loop):
    for i in range(loop):
        print("I was listening to %s! %s" % (func, ctime()))
        sleep(2 * SCALE)


def movie(func, loop):
    for i in range(loop):
        print("I was at the %s！ %s" % (func, ctime()))
        sleep(5 * SCALE)


if __name__ == '__main__':
    music('爱情买卖', 2)
    movie('tree', 2)
    print('all end:', ctime())
