sort cumulative
stats 15
callers 5
callees 5
