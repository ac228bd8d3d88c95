# Shared by the CLI test scripts (source it): `expect CODE PATTERN -- command…` runs the command and counts a failure
# when its exit code is not CODE or its output (stdout and stderr) does not match the extended regex PATTERN.
# Counters: checks, failures.
checks=0
failures=0

expect() { # expect CODE PATTERN -- command...
  local code=$1 pattern=$2
  shift 3
  local out
  out=$("$@" 2>&1)
  local got=$?
  checks=$((checks + 1))
  if [ "$got" -ne "$code" ] || ! grep -qE -- "$pattern" <<<"$out"; then
    failures=$((failures + 1))
    echo "FAIL: $* -> exit $got (expected $code), output did not match /$pattern/:"
    echo "$out" | tail -5
  fi
}
