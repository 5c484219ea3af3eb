sort cumulative
stats
callers
callees
sort tottime
stats 8
sort calls
stats 8
