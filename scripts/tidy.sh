#!/usr/bin/env bash
# clang-tidy with the repository's .clang-tidy over every .cc file of src/ (or the files
# given), in parallel, from the compile commands of a configured build directory:
#   scripts/tidy.sh BUILD_DIR [FILE...]
# Prints each finding once and exits 1 when there is any; prints one line when every file is
# clean. Each file's full output is kept in BUILD_DIR/tidy/. TIDY_JOBS sets the number of
# parallel clang-tidy processes (default: nproc), CLANG_TIDY the binary (default: clang-tidy).
set -euo pipefail
cd "$(dirname "$0")/.."

build=${1:?usage: scripts/tidy.sh BUILD_DIR [FILE...]}
shift
db="$build/compile_commands.json"
if [ ! -f "$db" ]; then
  echo "tidy: no $db; configure the build first (make tidy does)" >&2
  exit 1
fi
if [ $# -gt 0 ]; then
  files=("$@")
else
  mapfile -t files < <(git ls-files 'src/*.cc')
fi

# A file without a compile command would be checked with flags clang-tidy guesses.
missing=$(comm -23 <(printf '%s\n' "${files[@]}" | sort -u) \
  <(jq -r --arg root "$PWD/" '.[].file | ltrimstr($root)' "$db" | sort -u))
if [ -n "$missing" ]; then
  echo "tidy: no compile command in $db for:" $missing >&2
  exit 1
fi

logs="$build/tidy"
rm -rf "$logs"
mkdir -p "$logs"
export TIDY_BIN="${CLANG_TIDY:-clang-tidy}" TIDY_BUILD="$build" TIDY_LOGS="$logs"
start=$SECONDS
printf '%s\n' "${files[@]}" | xargs -d '\n' -n 1 -P "${TIDY_JOBS:-$(nproc)}" sh -c '
  log="$TIDY_LOGS/$(printf %s "$1" | tr / _).log"
  "$TIDY_BIN" -p "$TIDY_BUILD" --quiet "$1" >"$log" 2>&1 || echo "$1" >>"$TIDY_LOGS/failed"
' sh
elapsed=$((SECONDS - start))
version=$("$TIDY_BIN" --version | sed -n 's/.*LLVM version \([0-9.]*\).*/\1/p')

if [ -s "$logs/failed" ]; then
  # A header's finding comes once per file that includes it: each is printed once, with its
  # notes.
  sort "$logs/failed" | while read -r f; do
    cat "$logs/$(printf %s "$f" | tr / _).log"
  done | awk '
    /^[^ ].*:[0-9]+:[0-9]+: (warning|error): / { skip = ($0 in seen); seen[$0] = 1 }
    /^[0-9]+ warnings? (and [0-9]+ errors? )?generated\.$/ { next }
    !skip { print }'
  echo "tidy: findings in $(wc -l <"$logs/failed") of ${#files[@]} files" \
    "(clang-tidy $version, ${elapsed} s); each file's output is in $logs/" >&2
  exit 1
fi
echo "tidy: ${#files[@]} files clean (clang-tidy $version, ${elapsed} s)"
