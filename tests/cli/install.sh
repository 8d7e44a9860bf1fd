#!/bin/sh
# install: `cmake --install` into a temporary prefix puts the two libraries, the public header
# alone, spineload.pc and the CMake package in place; the README's C program (taken from its
# "Install" section, so the README cannot drift) builds against it with pkg-config and with
# find_package(spineload) (shared and static targets), and every build prints the same L4/L5
# compressions as `spineload run` on the same scenario; the installed Python module loads the
# installed library. SL_TEST_CC / SL_TEST_CFLAGS: the compiler and the sanitizer flags of the
# build; SL_TEST_PYTHON (empty: skip) and SL_TEST_PYTHON_SITE (tests/CMakeLists.txt).
set -u
sl=$1 src=$2 work=$3
bin=$(dirname "$sl")
cc=${SL_TEST_CC:-cc}
cflags=${SL_TEST_CFLAGS:-}
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 1
fail=0
prefix=$work/prefix
cmake --install "$bin" --prefix "$prefix" >install.log 2>&1 || { echo "FAIL install"; cat install.log; exit 1; }
for f in include/spineload.h lib/libspineload.a lib/libspineload.so lib/pkgconfig/spineload.pc \
         lib/cmake/spineload/spineloadConfig.cmake lib/cmake/spineload/spineloadConfigVersion.cmake \
         lib/cmake/spineload/spineloadTargets.cmake; do
  [ -e "$prefix/$f" ] || { echo "FAIL not installed: $f"; fail=1; }
done
hdrs=$(cd "$prefix/include" && ls)
[ "$hdrs" = spineload.h ] || { echo "FAIL installed headers: $hdrs (only spineload.h)"; fail=1; }
# the installed header includes only standard headers
if grep '^#include "' "$prefix/include/spineload.h"; then echo "FAIL the public header includes a project header"; fail=1; fi

# the program of the README's Install section: its first ```c block
awk '/^## Install/{s=1} s&&/^```c$/{c=1;next} c&&/^```$/{exit} c' "$src/README.md" >l4l5.c
[ -s l4l5.c ] || { echo "FAIL no C program in the README's Install section"; exit 1; }
grep -q 'cc -o l4l5 l4l5.c $(pkg-config --cflags --libs spineload)' "$src/README.md" ||
  { echo "FAIL the README's build line is not the one tested here"; fail=1; }

# what the command prints for the same scenario: posture and L4/L5 column
scen=$src/scenarios/examples/basic.yaml
"$sl" run "$scen" -o ref.h5 >ref.txt 2>ref.err || { echo "FAIL spineload run"; cat ref.err; exit 1; }
awk 'NR>1 && NF>=3 {print $1, $3, "N"}' ref.txt >ref.l4l5
n=$(wc -l <ref.l4l5)
[ "$n" -ge 3 ] || { echo "FAIL only $n postures from spineload run"; fail=1; }

check() {  # check NAME: run ./NAME on the scenario and compare with the command
  ./"$1" "$scen" >"$1".out 2>"$1".err || { echo "FAIL $1 exit $?"; cat "$1".err; fail=1; return; }
  cmp -s "$1".out ref.l4l5 || { echo "FAIL $1 prints something else than spineload run:"; diff "$1".out ref.l4l5; fail=1; return; }
  echo "ok   $1: $(wc -l <"$1".out) postures as spineload run"
}

# pkg-config (as the README's build line, with the temporary prefix)
# shellcheck disable=SC2046
PKG_CONFIG_PATH=$prefix/lib/pkgconfig $cc $cflags -o l4l5 l4l5.c \
  $(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags --libs spineload) \
  -Wl,-rpath,"$prefix/lib" 2>cc.err || { echo "FAIL cc with pkg-config"; cat cc.err; fail=1; }
[ -x l4l5 ] && check l4l5
# it uses the installed shared library
if [ -x l4l5 ] && command -v ldd >/dev/null; then
  ldd l4l5 | grep -q "$prefix/lib/libspineload.so" || { echo "FAIL l4l5 does not load the installed libspineload.so"; ldd l4l5; fail=1; }
fi

# a CMake project with find_package(spineload)
mkdir -p proj
cp l4l5.c proj/
cat >proj/CMakeLists.txt <<'CM'
cmake_minimum_required(VERSION 3.24)
project(l4l5 LANGUAGES C)
find_package(spineload 0.1 REQUIRED)
add_executable(l4l5_shared l4l5.c)
target_link_libraries(l4l5_shared PRIVATE spineload::spineload)
add_executable(l4l5_static l4l5.c)
target_link_libraries(l4l5_static PRIVATE spineload::spineload_static)
CM
if cmake -S proj -B proj/build -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_C_COMPILER="$cc" \
     -DCMAKE_C_FLAGS="$cflags" -DCMAKE_EXE_LINKER_FLAGS="$cflags" >cmake.log 2>&1 &&
   cmake --build proj/build >>cmake.log 2>&1; then
  cp proj/build/l4l5_shared proj/build/l4l5_static .
  check l4l5_shared
  check l4l5_static
else
  echo "FAIL the CMake project"; tail -30 cmake.log; fail=1
fi
# the Python module installed beside the library loads the installed library (not the build's)
py=${SL_TEST_PYTHON:-}
if [ -n "$py" ] && [ -x "$py" ]; then
  site=$prefix/${SL_TEST_PYTHON_SITE:?}
  [ -f "$site/spineload/__init__.py" ] || { echo "FAIL the Python module is not installed in $site"; fail=1; }
  got=$(cd "$work" && env -u SPINELOAD_LIB PYTHONPATH="$site" PYTHONDONTWRITEBYTECODE=1 "$py" -c \
        'import spineload, os; print(os.path.realpath(spineload.library_path()))' 2>py.err) ||
    { echo "FAIL import spineload from the prefix"; cat py.err; fail=1; }
  want=$(realpath "$prefix/lib/libspineload.so")
  [ "$got" = "$want" ] || { echo "FAIL installed module loads '$got', not '$want'"; fail=1; }
  [ $fail = 0 ] && echo "ok   the installed Python module loads $want"
  # and runs the README's Python example (tests/python/test_readme.py checks its numbers)
  awk '/^## Python/{s=1} s&&/^```python$/{c=1;next} c&&/^```$/{exit} c' "$src/README.md" >example.py
  (cd "$work" && env -u SPINELOAD_LIB PYTHONPATH="$site" PYTHONDONTWRITEBYTECODE=1 "$py" example.py) \
    >example.out 2>example.err || { echo "FAIL the README's Python example"; cat example.err; fail=1; }
  rows=$(grep -c '^[0-9.]* *[0-9.]* *[0-9.]*$' example.out)
  [ "$rows" -ge 2 ] && echo "ok   the README's Python example runs from the prefix ($rows rows)" ||
    { echo "FAIL the Python example printed $rows rows of numbers"; cat example.out; fail=1; }
else
  echo "skip the Python module (no python3 for this build)"
fi
[ $fail = 0 ] && echo ok
exit $fail
