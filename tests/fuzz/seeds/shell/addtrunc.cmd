stats 1
add tests/dumps/special/truncated.prof
stats 2
