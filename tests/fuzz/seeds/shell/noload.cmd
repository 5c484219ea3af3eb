stats
stats 3
callers
callees fib
sort time
sort
reverse
strip
add tests/dumps/special/normal-v4.prof
read
help read

read tests/dumps/nonexistent.prof
read
read tests/dumps/special/normal-v4.prof
stats 2
