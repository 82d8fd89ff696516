#!/bin/sh
# The shape the library keeps: no cycle between its modules (an object file of lib/ per module;
# an edge where one uses a symbol another defines) and no function in lib/ over 150 lines.
# Every file of lib/ also compiles, warnings as errors, without the SSE2 paths: the plain loops
# other processors take. Run from the project root after the library is built:
# BUILD=build sh tests/tools-structure.sh
BUILD=${BUILD:-build}
. "$(dirname "$0")/lib.sh"
MAXLEN=150
CC=${CC:-cc}
# plain FILE...: each file compiled as a processor without SSE2 would compile it
plain() {
    for f in "$@"; do
        $CC -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Ilib -I"$BUILD/gen" \
            $(${PKG_CONFIG:-pkg-config} --cflags libxml-2.0) -Wall -Wextra -Werror \
            -Wno-unused-parameter -U__SSE2__ -U__AVX2__ -U__AVX512BW__ -fsyntax-only "$f" 2>&1 ||
            echo "$f: does not compile without SSE2"
    done
}

# cycles EDGES: each module that reaches itself, with the others of its cycle
cycles() {
    awk '{ e[$1, $2] = 1; n[$1]; n[$2] }
         END { for (k in n) for (i in n) if (e[i, k]) for (j in n) if (e[k, j]) e[i, j] = 1
               for (i in n) if (e[i, i]) { l = i ":"; for (j in n) if (e[i, j] && e[j, i] && i != j) l = l " " j; print l } }' "$1" | sort
}
# long FILE...: functions over MAXLEN lines, from the "{" that opens a body at file level (house
# style puts it alone on its line) to the "}" that closes it
long() {
    for f in "$@"; do
        awk -v f="$f" -v max="$MAXLEN" '
            { s = $0; gsub(/"([^"\\]|\\.)*"/, "\"\"", s); gsub(/\047([^\047\\]|\\.)*\047/, "x", s)
              gsub(/\/\*([^*]|\*+[^*\/])*\*+\//, "", s); sub(/\/\/.*/, "", s) }
            depth == 0 && s ~ /^\{[ \t]*$/ { start = NR; name = sig }
            { depth += gsub(/\{/, "{", s) - gsub(/\}/, "}", s) }
            depth == 0 && start && s ~ /\}/ { if (NR - start + 1 > max) printf "%s:%d: %d lines: %s\n", f, start, NR - start + 1, name; start = 0 }
            depth == 0 && s ~ /\(/ && s !~ /;/ { sig = substr(s, 1, 60) }' "$f"
    done
}

# the checks catch what they are for
printf 'a b\nb c\nc a\nc d\n' > "$T/e"
if [ "$(cycles "$T/e" | wc -l)" = 3 ] && ! cycles "$T/e" | grep -q '^d'; then ok; else bad "cycle check misses a cycle"; fi
{ echo 'static int f(int a,'; echo '             int b)'; echo '{'; i=0
  while [ $i -lt 149 ]; do echo '    x("{");'; i=$((i + 1)); done; echo '}'; echo 'int g(void)'; echo '{'; echo '}'; } > "$T/l.c"
if long "$T/l.c" | grep -q ':3: 151 lines:.*int f'; then ok; else bad "length check misses a 151-line function"; long "$T/l.c"; fi
printf 'int f(void);\nint f(void)\n{\n    int only_simd = 1;\n#if defined(__SSE2__)\n    return only_simd;\n#endif\n    return 0;\n}\n' > "$T/p.c"
if plain "$T/p.c" | grep -q 'does not compile'; then ok; else bad "the check without SSE2 misses a variable only SSE2 uses"; fi

for o in "$BUILD"/lib/*.o; do
    nm "$o" | awk -v m="$(basename "$o" .o)" '$1 == "U" { print "U", m, $2 } NF == 3 && $2 ~ /^[TDBRC]$/ { print "D", m, $3 }'
done > "$T/syms"
awk '$1 == "D" { def[$3] = $2; next } { use[NR] = $2 " " $3 }
     END { for (i in use) { split(use[i], a, " "); if ((a[2] in def) && def[a[2]] != a[1]) print a[1], def[a[2]] } }' \
    "$T/syms" | sort -u > "$T/edges"
if [ "$(wc -l < "$T/edges")" -gt 20 ]; then ok; else bad "too few module edges in $BUILD/lib (not built?)"; fi
cycles "$T/edges" > "$T/cycles"
if [ -s "$T/cycles" ]; then bad "modules in a cycle (module: the others of its cycle)"; sed 's/^/  /' "$T/cycles"; else ok; fi
long lib/*.c > "$T/long"
if [ -s "$T/long" ]; then bad "functions over $MAXLEN lines"; sed 's/^/  /' "$T/long"; else ok; fi

plain lib/*.c > "$T/plain"
if [ -s "$T/plain" ]; then bad "lib/ without SSE2"; sed 's/^/  /' "$T/plain"; else ok; fi

echo "tools-structure: $pass passed, $fail failed"
[ "$fail" = 0 ]
