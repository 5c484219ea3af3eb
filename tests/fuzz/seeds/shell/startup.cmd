stats 3
