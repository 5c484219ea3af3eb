# lib.sh - shared by run.sh and record.sh (sourced from the repository root).
trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }
# run_case CMD: CMD's stdout and stderr, run in tests/sampled/data with the
# programs of build/; the files line's date (the input's mtime) masked.
run_case() {
    local root=$PWD
    (cd tests/sampled/data && PATH=$root/build:$PATH && eval "$1") 2>&1 |
        sed -E 's/^[A-Z][a-z]{2} [A-Z][a-z]{2} [ 0-9]{2} [0-9:]{8} [0-9]{4}    /DATE    /'
}
