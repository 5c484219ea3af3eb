stats 1
EOF
stats 2
