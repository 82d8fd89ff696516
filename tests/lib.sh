# Shared by the tool tests (tests/tools*.sh): a scratch folder $T removed at exit (kept when
# KEEP is set), pass/fail counts, and the checks. Source it, run checks, then `finish NAME`.
T=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || { chmod -R u+rwx "$T" 2>/dev/null; rm -rf "$T"; }' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# expect STATUS DESCRIPTION -- command...: the command's exit status, its output in $T/out, $T/err
expect() {
    want=$1; what=$2; shift 3
    "$@" >"$T/out" 2>"$T/err"
    got=$?
    if [ "$got" = "$want" ]; then ok; else bad "$what: exit $got, expected $want"; sed 's/^/  /' "$T/err" | head -5; fi
}
has() { # has FILE TEXT DESCRIPTION
    if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; sed 's/^/  /' "$1" | head -5; fi
}
hasnt() { # hasnt FILE TEXT DESCRIPTION
    if grep -qF -- "$2" "$1"; then bad "$3: '$2' found in $1"; else ok; fi
}
