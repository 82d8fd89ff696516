#!/bin/sh
# Install into a scratch prefix, build a program against it through pkg-config (shared and
# static), check the exported symbols and the header on its own, then uninstall.
set -u
BUILD=${BUILD:-build}
CC=${CC:-cc}
CFLAGS=${CFLAGS:-}
LDFLAGS=${LDFLAGS:-}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
pass=0
step() { if "$@"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $*"; fi; }

make -s install BUILD="$BUILD" PREFIX="$T/usr" >"$T/install.log" 2>&1 || { cat "$T/install.log"; exit 1; }
export PKG_CONFIG_PATH="$T/usr/lib/pkgconfig"
step test -f "$T/usr/include/ebts.h"
step test -f "$T/usr/lib/libebts.a"
step test -L "$T/usr/lib/libebts.so.0"
step test -x "$T/usr/bin/ebts-conv"
step test -f "$T/usr/share/man/man1/ebts-conv.1"
step test -f "$T/usr/share/man/man1/ebts-validate.1"
step test -x "$T/usr/bin/ebts-validate"
step test -f "$T/usr/share/libebts/profiles/ebts-profile.xsd"
step sh -c "LD_LIBRARY_PATH=$T/usr/lib $T/usr/bin/ebts-validate -q --profile $T/usr/share/libebts/profiles/example-state.xml fixtures/validate/valid-errt.eft"
step sh -c "pkg-config --modversion libebts | grep -qx 0.1.0"
step sh -c "$CC $CFLAGS $LDFLAGS -o $T/example tests/example.c \$(pkg-config --cflags --libs libebts)"
step sh -c "LD_LIBRARY_PATH=$T/usr/lib $T/example fixtures/samples/published/errt-doa.eft $T/out.eft > $T/example.out"
step grep -q "records: 2" "$T/example.out"
step grep -q "LEN_MISMATCH" "$T/example.out"
step sh -c "LD_LIBRARY_PATH=$T/usr/lib $T/usr/bin/ebts-conv -q $T/out.eft > /dev/null"
step sh -c "$CC $CFLAGS $LDFLAGS -o $T/example-static tests/example.c \$(pkg-config --cflags libebts) $T/usr/lib/libebts.a \$(pkg-config --libs-only-l --static libebts | sed 's/-lebts//')"
step sh -c "$T/example-static fixtures/samples/clean/errt-doa.eft $T/out2.eft > /dev/null"
# examples/sib.c, the README's API example, as a user builds it
step sh -c "$CC $CFLAGS $LDFLAGS -o $T/sib examples/sib.c \$(pkg-config --cflags --libs libebts)"
step sh -c "cd $T && LD_LIBRARY_PATH=$T/usr/lib $T/sib $(pwd)/fixtures/samples/clean/idr-iar-match.eft sub.eft > sib.out"
step grep -qx "TCN 42046114892: IDENT match" "$T/sib.out"
step cmp -s "$T/1105048570.jpg" fixtures/samples/face-48x64.jpg
step sh -c "LD_LIBRARY_PATH=$T/usr/lib $T/usr/bin/ebts-conv -q --plain $T/sub.eft | grep -q '^2.018:TEST,TEST'"
step sh -c "readelf -d $T/usr/lib/libebts.so.0.1.0 | grep -q 'SONAME.*libebts.so.0'"
# only ebts_ names are exported
step sh -c "! nm -D --defined-only $T/usr/lib/libebts.so.0.1.0 | awk '{print \$3}' | grep -v '^ebts_' | grep -v '^_' | grep -q ."
# the header alone, as C99 pedantic and as C++
step sh -c "printf '#include <ebts.h>\nint main(void){return ebts_version()==0;}\n' > $T/h.c && $CC -std=c99 -pedantic -Wall -Werror -I$T/usr/include -c $T/h.c -o $T/h.o"
if command -v c++ >/dev/null 2>&1; then
    step sh -c "cp $T/h.c $T/h.cc && c++ -Wall -Werror -I$T/usr/include -c $T/h.cc -o $T/hcc.o"
fi
make -s uninstall BUILD="$BUILD" PREFIX="$T/usr" >/dev/null 2>&1
step test ! -e "$T/usr/include/ebts.h"
step test ! -e "$T/usr/lib/libebts.so"
step test ! -e "$T/usr/bin/ebts-conv"
step test ! -e "$T/usr/share/libebts"
echo "pkgconfig: $pass passed, $fail failed"
[ "$fail" = 0 ]
