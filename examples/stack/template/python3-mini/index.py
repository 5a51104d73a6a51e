import sys

from function import handler

print(handler.handle(sys.stdin.read()))
