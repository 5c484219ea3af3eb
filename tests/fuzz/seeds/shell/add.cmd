callees 3
add tests/dumps/nonexistent.prof
add tests/dumps/special
add
add tests/dumps/special/stripentries.prof
stats 6
stats /x/
callees /x/|fib|main
callers /x/
sort calls
stats 5
add tests/dumps/special/normal-v2.prof
stats 5
callees 3
strip
callees u\.py|k\.py|main
add tests/dumps/special/normal-v4.prof
stats 4
