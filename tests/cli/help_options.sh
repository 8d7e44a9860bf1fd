#!/bin/sh
# The command line's manners (issue 15 item 4): every command has --help (usage and its options
# with their defaults, on stdout, exit 0); an option a command does not take is an error naming
# the option and the command (exit 2); --opt=VALUE and --opt VALUE mean the same; short options
# (-o, -q) keep working.
set -u
sl=$1 src=$2 work=$3
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
# command: the options its help must list
for spec in "rank:--output --set --threads --uncertainty --seed --plots --quiet" "draw:--output --set --quiet" \
  "report:--output --format --plots --quiet" \
  "run:--output --set --threads --frames --moment-arms --quiet" \
  "sweep:--output --set --threads --resume --progress --quiet" \
  "validate:--set --threads --format --explain --quiet" "model:--set --quiet" \
  "bench:--set --body --format --quiet" "version:"; do
  cmd=${spec%%:*} opts=${spec#*:}
  "$sl" $cmd --help >h.txt 2>e.txt
  rc=$?
  [ $rc = 0 ] || { echo "FAIL $cmd --help: exit $rc"; fail=1; }
  [ -s e.txt ] && { echo "FAIL $cmd --help wrote to stderr: $(cat e.txt)"; fail=1; }
  head -1 h.txt | grep -q "^usage: spineload $cmd" || { echo "FAIL $cmd --help: no usage line"; fail=1; }
  grep -q -- "-h, --help" h.txt || { echo "FAIL $cmd --help does not list --help"; fail=1; }
  for opt in $opts; do
    grep -q -- "^  .*$opt" h.txt || { echo "FAIL $cmd --help does not list $opt"; fail=1; }
  done
  # and nothing it does not take
  for opt in --frames --resume --plots --explain --body --progress --threads; do
    case " $opts " in *" $opt "*) continue ;; esac
    grep -q -- "^  $opt" h.txt && { echo "FAIL $cmd --help lists $opt, which it does not take"; fail=1; }
  done
  "$sl" help $cmd >h2.txt 2>&1 && cmp -s h.txt h2.txt || { echo "FAIL 'help $cmd' differs from '$cmd --help'"; fail=1; }
done
"$sl" rank --help | grep -q "default: spineload_rank.h5" || { echo "FAIL rank --help: no default for -o"; fail=1; }
"$sl" rank --help | grep -q "default: all cores" || { echo "FAIL rank --help: no default for --threads"; fail=1; }
[ $fail = 0 ] && echo "ok   every command's --help: usage and its options, exit 0, stdout only"

# an option that does not apply: exit 2, the option and the command named, no output
pos=$src/scenarios/positions/spooning.yaml
foreign() {  # foreign OPTION-AS-NAMED COMMAND ARGS...
  opt=$1
  shift
  "$sl" "$@" >out.txt 2>err.txt
  rc=$?
  if [ $rc != 2 ] || ! grep -q -- "option $opt does not apply to '$1'" err.txt; then
    echo "FAIL $*: exit $rc, expected 2 naming $opt and '$1'"; cat err.txt; fail=1
  else
    echo "ok   $*: exit 2, names $opt"
  fi
}
foreign --frames rank --frames -o r.h5
foreign --threads draw "$pos" -o d.svg --threads=2
foreign --set report r.h5 --set subject.mass_kg=70
foreign --resume model info "$src/models/adult_male.yaml" --resume
foreign --threads bench 100 --threads 2
foreign --quiet version --quiet
foreign --explain run "$src/scenarios/examples/basic.yaml" -o x.h5 --explain
foreign --body validate --body "$src/models/adult_male.yaml"
ls r.h5 d.svg x.h5 2>/dev/null && { echo "FAIL output written after a usage error"; fail=1; }
"$sl" run --frobnicate x 2>err.txt
[ $? = 2 ] && grep -q "unknown option '--frobnicate'" err.txt || { echo "FAIL unknown option"; fail=1; }
"$sl" run --quiet=yes x 2>err.txt
[ $? = 2 ] && grep -q "option --quiet takes no value" err.txt || { echo "FAIL --quiet=yes"; cat err.txt; fail=1; }
"$sl" rank --threads 2>err.txt
[ $? = 2 ] && grep -q "option --threads needs a value" err.txt || { echo "FAIL --threads without value"; cat err.txt; fail=1; }
"$sl" rank --threads=two 2>err.txt
[ $? = 2 ] && grep -q "threads must be an integer in \[1, 1024\], got 'two'" err.txt || { echo "FAIL --threads=two"; cat err.txt; fail=1; }

# --threads=2 and --threads 2, --output=F and -o F: the same run
a=$src/tests/data/positions/side_left.yaml
b=$src/tests/data/positions/side_right.yaml
"$sl" rank "$a" "$b" --threads=2 --output=eq.h5 --quiet >eq.txt 2>eq.err || { echo "FAIL --threads=2 --output=eq.h5"; cat eq.err; fail=1; }
"$sl" rank "$a" "$b" --threads 2 -o sp.h5 -q >sp.txt 2>sp.err || { echo "FAIL --threads 2 -o sp.h5"; cat sp.err; fail=1; }
if cmp -s eq.csv sp.csv && cmp -s eq.md sp.md && cmp -s eq.txt sp.txt; then
  echo "ok   --threads=2 --output=F and --threads 2 -o F give the same outputs"
else
  echo "FAIL the two spellings differ"; fail=1
fi
# options after positionals and before them alike
"$sl" rank -q -o pre.h5 "$a" "$b" >pre.txt 2>&1 && cmp -s pre.csv sp.csv || { echo "FAIL options before the positions"; fail=1; }
exit $fail
