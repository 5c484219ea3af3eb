sort cumulative
stats 7\)
sort tottime
stats 3\)
sort time calls
stats 7\)
sort calls time
stats 7\)
sort cumulative name
stats 7\)
sort pcalls cumulative line
stats 5\)
