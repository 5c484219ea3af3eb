stats 0
stats 3
sort cumulative
stats +3
stats 007
stats 1_0
stats 0.02
stats .02 4
stats 5e-1 3
stats 0.0
stats -0.0
stats 1e-400
stats 1.0 3
stats 1.5 3
stats -0.5 3
stats 1e400 3
stats nan 3
stats inf 3
stats -1 3
stats 1000 3
stats fib|walk|area
stats is_(even|odd)|visit|Square
stats ^/root 4
stats \)$ 3
stats :\d\d\( 3
stats ( 3
stats [a- 3
stats * 3
stats 2 main
stats main 2
stats 0.5 main
stats built 0.5 3
stats built .5 2 method
stats nomatch
stats .* 3
stats True
stats 0x10
callers 2
callers fib|walk|area
callers 0.1 main|<module> 3
callers ( 2
callers nomatch
callers 0
callees 2
callees fib|walk|area
callees .1 main|<module> 3
callees nomatch
callees [ 2
callees 0.0
