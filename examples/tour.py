"""A tour of pyfaas. Not written yet: the client it tours does not exist yet."""

import sys

sys.exit("make demo: the tour is not there yet (it comes with the client and the fake gateway).")
