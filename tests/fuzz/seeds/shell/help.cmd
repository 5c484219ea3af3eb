help
help EOF
help add
help callees
help callers
help help
help quit
help read
help reverse
help sort
help stats
help strip
?
?sort
? stats
?help
help bogus
help Stats
help eof
help  sort
help sort extra
help help help
help shell
help do_help
