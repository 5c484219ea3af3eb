reverse
stats 5
sort time
reverse
stats 5
reverse
stats 5
reverse extra words
stats 3
sort calls
stats 3
reverse
callers 3
callees 3
sort stdname
reverse
stats 6
strip
reverse
stats 3
