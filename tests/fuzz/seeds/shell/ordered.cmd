sort stdname
stats 12
callers 5
callees 5
sort cumulative stdname
stats 8
sort calls stdname
callers 3
reverse
stats 4
