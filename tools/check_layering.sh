#!/usr/bin/env bash
# Fails when a file breaks the layering of ARCHITECTURE §2: no Qt, VTK or QCustomPlot in engine/; no torch in
# ui/, app/gui or engine's public headers; nothing outside engine/ includes engine/src.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
report() { echo "layering: $1"; echo "$2" | sed 's/^/  /'; status=1; }
hits=$(grep -rnE '#include *<(Q[A-Za-z]+|vtk[A-Za-z0-9_]*\.h|qcustomplot\.h)>' engine || true)
[[ -n "$hits" ]] && report "Qt/VTK/QCustomPlot included under engine/" "$hits"
hits=$(grep -rnE '#include *<(torch|ATen|c10)/' ui app/gui engine/include || true)
[[ -n "$hits" ]] && report "torch included in ui/, app/gui or engine/include" "$hits"
hits=$(grep -rnE '#include *"(\.\./)*engine/src|#include *"src/' ui app tests 2>/dev/null || true)
[[ -n "$hits" ]] && report "engine/src included from outside the engine" "$hits"
[[ $status -eq 0 ]] && echo "layering: ok"
exit $status
