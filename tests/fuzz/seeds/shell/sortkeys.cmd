sort calls
stats 4
sort ncalls
stats 4
sort cumtime
stats 4
sort cumulative
stats 4
sort filename
stats 4
sort line
stats 4
sort module
stats 4
sort name
stats 4
sort nfl
stats 4
sort pcalls
stats 4
sort stdname
stats 4
sort time
stats 4
sort tottime
stats 4
sort file line
stats 4
sort pcalls name
stats 4
sort calls cumulative stdname
stats 4
sort line name
stats 4
sort tottime cumtime
stats 3
sort time time
stats 3
