stats
callers
callees
sort stdname
stats
strip
stats
callers
callees
