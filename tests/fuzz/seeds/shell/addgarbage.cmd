stats 1
add tests/dumps/special/garbage.prof
stats 2
