# shellcheck shell=bash
# Shell helpers shared by the suites' scripts (bash; sourced, not run).  They work
# without starting a process: a process costs ~5 ms of CPU on a small VM, and the
# suites call these thousands of times.

# trim_vars NAME...: trims the variables named of leading and trailing blanks, in place
trim_vars() {
    local _tv _ts
    for _tv; do
        _ts=${!_tv}; _ts=${_ts#"${_ts%%[![:space:]]*}"}; _ts=${_ts%"${_ts##*[![:space:]]}"}
        printf -v "$_tv" '%s' "$_ts"
    done
}
