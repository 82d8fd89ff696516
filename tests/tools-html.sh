#!/bin/sh
# The HTML report: self-contained (no script, nothing fetched), every value escaped, images
# shown or described; and, in a real browser (headless Chromium), every bundled sample's page
# loads and every photo decodes. Screenshots are kept in $BUILD/report-*.png.
# Run from the project root: BUILD=build sh tests/tools-html.sh
BUILD=${BUILD:-build}
CONV="$BUILD/bin/ebts-conv"
. "$(dirname "$0")/lib.sh"

has() {
    if grep -qF -- "$2" "$1"; then ok; else bad "$3: '$2' not in $1"; fi
}
hasnt() {
    if grep -qiF -- "$2" "$1"; then bad "$3: '$2' found in $1"; else ok; fi
}

S=fixtures/samples
expect 0 "clean match to html" -- "$CONV" -q --to html -o "$T/match.html" "$S/clean/idr-iar-match.eft"
has "$T/match.html" "IDENT match: 2 encounters" "banner names the match"
has "$T/match.html" "1105046343" "encounters listed"
has "$T/match.html" "src=\"data:image/jpeg;base64,/9j/" "photo inline as a data: URI"
has "$T/match.html" "Determination:</b> SUBJECT APPEARS TO HAVE BEEN PREVIOUSLY REMOVED" "IAR determination set apart"
has "$T/match.html" "<td class=\"tag\">2.018</td><td>NAM</td><td>Name</td>" "tag, mnemonic and name"
hasnt "$T/match.html" "<script" "no script"
hasnt "$T/match.html" "http://" "nothing fetched"
hasnt "$T/match.html" "https://" "nothing fetched"
expect 1 "published no-match to html" -- "$CONV" -q --to html -o "$T/nomatch.html" "$S/published/idr-nomatch.eft"
has "$T/nomatch.html" "IDENT: no match" "banner names the no-match"
has "$T/nomatch.html" "LEN_MISMATCH" "a finding is shown"
has "$T/nomatch.html" "errors," "summary line"
expect 1 "published ERRT to html" -- "$CONV" -q --to html -o "$T/errt.html" "$S/published/errt-doa.eft"
has "$T/errt.html" "Rejected: the FBI returned an error (ERRT)" "banner names the ERRT"
has "$T/errt.html" "<td>L0013</td>" "the reason's code"

# a value that is markup, a control byte and a byte that is not UTF-8 show as text
sed -e 's/^2.073:TX1081100/2.073:<LT>script>alert(1)<LT>\/script><HEX:11ff>/' "$S/clean/errt-doa.txt" > "$T/x.txt"
expect 1 "hostile values" -- "$CONV" -q --from readable --to html -o "$T/x.html" "$T/x.txt"
has "$T/x.html" "&lt;script&gt;alert(1)&lt;/script&gt;" "markup escaped"
hasnt "$T/x.html" "<script>" "no raw markup"
has "$T/x.html" '\x11</span>' "control byte shown"
has "$T/x.html" '\xff</span>' "byte that is not UTF-8 shown"
if LC_ALL=C grep -q "$(printf '[\001-\010\013\014\016-\037\377]')" "$T/x.html"; then bad "raw control or invalid byte in the page"; else ok; fi
# C1 controls and bidirectional overrides are valid UTF-8 but are shown, not obeyed
sed -e 's/^2.073:TX1081100/2.073:A<HEX:c285>B<HEX:e280ae>C/' "$S/clean/errt-doa.txt" > "$T/c1.txt"
expect 1 "C1 control and RTL override" -- "$CONV" -q --from readable --to html -o "$T/c1.html" "$T/c1.txt"
has "$T/c1.html" 'A<span class="esc">U+0085</span>B<span class="esc">U+202E</span>C' "C1 and override shown"
if LC_ALL=C grep -q "$(printf '\302\205')" "$T/c1.html"; then bad "raw U+0085 in the page"; else ok; fi

expect 0 "redacted" -- "$CONV" -q --redact --to html -o "$T/r.html" "$S/clean/idr-iar-match.eft"
hasnt "$T/r.html" "1105046343" "redacted page keeps no EID"
hasnt "$T/r.html" "data:image/jpeg" "redacted page keeps no photo"

# a WSQ or JPEG 2000 image is described, not shown
expect 0 "WSQ and JPEG 2000 images" -- "$CONV" -q --to html -o "$T/w.html" fixtures/corpus/AnsiNist2K/elaine.eft
has "$T/w.html" "WSQ, " "a WSQ image described"
has "$T/w.html" "JPEG 2000, " "a JPEG 2000 image described"
expect 0 "extract images" -- "$CONV" -q --extract-images "$T" -o /dev/null "$S/clean/idr-iar-match.eft"
if [ -s "$T/type10-idc1.jpg" ] && [ "$(head -c 2 "$T/type10-idc1.jpg" | od -An -tx1 | tr -d ' ')" = ffd8 ]; then ok; else bad "type10-idc1.jpg not written"; fi
expect 2 "extract images into a missing folder" -- "$CONV" -q --extract-images "$T/none" -o /dev/null "$S/clean/idr-iar-match.eft"

# The browser: every page loads in a frame of one probe page, whose script (the reports have
# none) counts each frame's images and those that did not decode, once all frames have loaded.
CHROMIUM=$(command -v chromium || command -v chromium-browser)
opts="--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking --disable-component-update --disable-sync --allow-file-access-from-files"
if [ -z "$CHROMIUM" ]; then
    bad "chromium is not installed (make deps installs it)"
else
    names=""
    for f in "$S"/clean/*.eft "$S"/published/*.eft fixtures/generated/*.eft; do
        name=$(basename "$(dirname "$f")")-$(basename "$f" .eft)
        "$CONV" -q --to html -o "$T/$name.html" "$f"
        names="$names $name"
    done
    # ebts-validate's page for a batch
    "$BUILD/bin/ebts-validate" --format html "$S" > "$T/batch.html"
    names="$names batch"
    {
        echo '<!DOCTYPE html><html><body><pre id="out">pending</pre>'
        for name in $names; do echo "<iframe name=\"$name\" src=\"$name.html\"></iframe>"; done
        cat <<'HTML'
<script>
window.onload = function () {
  var out = '', fr = document.getElementsByTagName('iframe');
  for (var k = 0; k < fr.length; k++) {
    var d = fr[k].contentDocument, imgs = d ? d.images : [], broken = 0;
    for (var i = 0; i < imgs.length; i++) if (!(imgs[i].complete && imgs[i].naturalWidth > 0)) broken++;
    out += fr[k].name + ' title=' + (d && d.title ? 'yes' : 'no') + ' images=' + imgs.length +
      ' broken=' + broken + '\n';
  }
  document.getElementById('out').textContent = out;
};
</script></body></html>
HTML
    } > "$T/probe.html"
    timeout 60 "$CHROMIUM" $opts --user-data-dir="$T/profile" --virtual-time-budget=5000 \
        --dump-dom "file://$(cd "$T" && pwd)/probe.html" > "$T/dom" 2>/dev/null
    for name in $names; do
        line=$(grep -o "$name title=[a-z]* images=[0-9]* broken=[0-9]*" "$T/dom" | head -n 1)
        case "$line" in
        *" title=yes "*" broken=0") ok ;;
        *) bad "$name in chromium: ${line:-no result}" ;;
        esac
        case "$name" in
        clean-idr-iar-match|generated-idr-iar-match) # these carry a photo
            case "$line" in *" images=0 "*) bad "$name: no image in the page" ;; *) ok ;; esac ;;
        esac
    done
    timeout 60 "$CHROMIUM" $opts --user-data-dir="$T/profile" --window-size=1000,1300 \
        --screenshot="$BUILD/report-idr-iar-match.png" "file://$(cd "$T" && pwd)/clean-idr-iar-match.html" >/dev/null 2>&1
    if [ -s "$BUILD/report-idr-iar-match.png" ]; then ok; else bad "no screenshot"; fi
fi
echo "html: $pass passed, $fail failed"
[ "$fail" = 0 ]
