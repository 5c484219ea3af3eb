stats 1
add tests/dumps/special/toplist.prof
stats 2
