stats
add tests/dumps/special/addcrash-c.prof
stats
