sort cumulative
stats
callers
callees
