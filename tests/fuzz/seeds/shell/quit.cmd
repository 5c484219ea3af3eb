stats 1
quit now please
stats 2
