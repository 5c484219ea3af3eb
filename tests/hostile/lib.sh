# shellcheck shell=bash
# tests/hostile/lib.sh: how record.sh and run.sh run a browser on one dump.
STAMP='2024-01-02 03:04:05 UTC'
# run_browser DUMP CMD...: copy DUMP to a fresh directory as d.prof with a
# fixed mtime (the first line prints it), run `CMD d.prof < script.cmd` there
# (script-big.cmd for nan-big-* and nan-live-*: sorts by one and several keys,
# each printing a tenth of the rows, spread over the whole order).
run_browser() {
    local dump=$1 dir script=script.cmd; shift
    case ${dump##*/} in nan-big-*|nan-live-*) script=script-big.cmd ;; esac
    dir=$(mktemp -d "${TMPDIR:-/tmp}/hostile.XXXXXX")
    cp "$dump" "$dir/d.prof"
    touch -d "$STAMP" "$dir/d.prof"
    (cd "$dir" && TZ=UTC LC_ALL=C.UTF-8 PYTHONHASHSEED=0 PYTHONIOENCODING=utf-8 TERM=dumb \
        "$@" d.prof < "$OLDPWD/$script" 2>&1)
    rm -rf "$dir"
}
