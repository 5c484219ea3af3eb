stats 1
read tests/dumps/special/sampled.prof
stats 1
read
stats 1
