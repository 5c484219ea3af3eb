
stats 2

bogus

   
!ls
!ls -l

%foo

#comment
eof
Stats
STATS 2
stats2
   stats   1   
stats	1
stats-1
sort-time
sort	time
stats 1
