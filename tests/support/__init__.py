"""What the tests of several subjects share: the client harness, the fault server, the fixtures, the counts."""
