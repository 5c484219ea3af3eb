sort time
stats 0.05
callers .05 built
callees 3
reverse
stats 5
strip
stats 5
sort pcalls
stats 4
callees 2
