stats 1
add tests/dumps/special/empty.prof
stats 2
