stats 2
read tests/dumps/special/normal-v4.prof
stats 3
read tests/dumps/nonexistent.prof
stats 1
read tests/dumps/special
read tests/dumps/special/truncated.prof
read tests/dumps/special/garbage.prof
read tests/dumps/special/emptyfile.prof
read tests/dumps/special/empty.prof
read tests/dumps/special/toplist.prof
read tests/dumps/special/tuple4.prof
read tests/dumps/special/intvalue.prof
stats 1
read tests/dumps/special/nullvalue.prof
stats
sort time
read
stats 2
read  tests/dumps/special/normal-v0.prof  
stats 2
read
strip
read
stats 2
