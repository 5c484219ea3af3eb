sort name
stats 5
