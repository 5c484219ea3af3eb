stats
add tests/dumps/special/addcrash-p.prof
stats
