stats 0
stats 3
sort cumulative
stats 3
stats +3
stats 007
stats 1_0
stats 0.5
stats .5
stats 5e-1
stats 0.25
stats 0
stats 0.0
stats -0.0
stats 1e-400
stats 1.0
stats 1.5
stats -0.5
stats 1e400
stats nan
stats inf
stats -inf
stats -1
stats 1000
stats fib
stats fib|hanoi
stats is_(even|odd)|walk|size
stats ^/home|^recur
stats \)$
stats :\d\d\(
stats (
stats [a-
stats *
stats fib 2
stats 2 fib
stats 0.5 fib
stats fib 0.5
stats built 0.5 3
stats built .5 2 method
stats nomatch
stats .*
stats True
stats 0x10
stats fib 1.5 2
stats 3 0.5 (
callers 2
callers fib|hanoi
callers 0.5 main|<module>
callers (
callers nomatch
callers 0
callers 1.5
callees 2
callees fib|hanoi
callees .5 main|<module>
callees nomatch
callees [
callees 0.0
