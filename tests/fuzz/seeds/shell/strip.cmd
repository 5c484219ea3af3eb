sort stdname
stats 8
strip
stats 8
sort stdname
stats 8
callers 6
callees 6
strip
stats 3
callers 3
