#!/bin/sh
# A total lumbar angle beyond the model's range is refused with the range the rhythm allows, and
# both ends that message names are accepted (they used to be printed rounded outwards).
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
sed "s#body: ../../models/#body: $src/models/#" "$src/scenarios/examples/basic.yaml" >base.yaml
fail=0
for key in flexion_deg lateral_deg twist_deg; do
  for v in 150 -150; do
    sed "s/lumbar: {flexion_deg: 30}/lumbar: {$key: $v}/" base.yaml >bad.yaml
    "$sl" run bad.yaml -o x.h5 -q 2>err.txt && { echo "FAIL $key $v accepted"; fail=1; continue; }
    range=$(sed -n 's/.*the total must lie in \[\(.*\)\] deg.*/\1/p' err.txt)
    [ -n "$range" ] || { echo "FAIL $key $v: no allowed range in: $(cat err.txt)"; fail=1; continue; }
    for end in $(echo "$range" | tr -d ' ' | tr ',' ' '); do
      sed "s/lumbar: {flexion_deg: 30}/lumbar: {$key: $end}/" base.yaml >end.yaml
      "$sl" run end.yaml -o x.h5 -q 2>e2.txt ||
        { echo "FAIL $key = $end (an end of the named range [$range]) refused: $(cat e2.txt)"; fail=1; }
    done
  done
done
[ $fail = 0 ] && echo "ok   every named end of the allowed lumbar range is accepted"
exit $fail
