stats grüße
callers 関数
callees 関数
stats 🐍
stats ü
stats caf.\.py
sort name
stats
sort stdname
callers 0.5
strip
callees
