# lib.sh - what run.sh and record.sh share: the case table and how profdiff runs a case.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PD=$ROOT/build/profdiff
HERE=$ROOT/tests/diff
GOLDEN=$HERE/golden
REFPY=${REFPY:-python3.11}

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }

source "$(dirname "${BASH_SOURCE[0]}")/../shlib.sh"   # trim_vars

# each_case FN: FN NAME FORM OPTIONS BASE NEW for every line of cases.txt.
each_case() {
    local fn=$1 line name form opts base new
    while IFS= read -r line; do
        case $line in '#'*|'') continue ;; esac
        IFS='|' read -r name form opts base new <<<"$line"
        trim_vars name form opts base new
        "$fn" "$name" "$form" "$opts" "$base" "$new"
    done <"$HERE/cases.txt"
}

# run_case FORM OPTIONS BASE NEW FORMAT: profdiff's output on stdout, its status returned.
run_case() {
    local form=$1 opts=$2 base=$3 new=$4 fmt=$5 f
    local -a args=()
    # shellcheck disable=SC2206
    local -a o=($opts) b=($base) n=($new)
    if [ "$form" = opt ]; then
        for f in "${b[@]}"; do args+=(--base "$f"); done
        for f in "${n[@]}"; do args+=(--new "$f"); done
    elif [ ${#b[@]} -eq 1 ] && [ ${#n[@]} -eq 1 ]; then
        args=("${b[0]}" "${n[0]}")
    else
        args=("${b[@]}" -- "${n[@]}")
    fi
    (cd "$ROOT" && "$PD" --format "$fmt" "${o[@]}" "${args[@]}")
}

# ref_check OPTIONS BASE NEW OURS.json: ref.py (pstats) agrees with our JSON.
ref_check() {
    local opts=$1 base=$2 new=$3 ours=$4 f skip=0
    local -a args=()
    for f in $opts; do
        if [ $skip = 1 ]; then skip=0; continue; fi
        case $f in
            -n) skip=1 ;;
            --match=*) args+=(--match "${f#--match=}") ;;
            *) args+=("$f") ;;
        esac
    done
    for f in $base; do args+=(--base "$f"); done
    for f in $new; do args+=(--new "$f"); done
    # REFRUN: how ref.py runs (run.sh: pyrun, in its one $REFPY process)
    (cd "$ROOT" && PYTHONDONTWRITEBYTECODE=1 ${REFRUN:-"$REFPY"} "$HERE/ref.py" "${args[@]}" --check "$ours")
}
