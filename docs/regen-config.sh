#!/usr/bin/env bash
# Regenerates the key table of docs/configuration.md from ConfigKey (run after `mvn -pl agent compile`).
set -euo pipefail
cd "$(dirname "$0")/.."
python3 - <<'PY'
import subprocess
gen = subprocess.check_output(['java', '-cp', 'agent/target/classes',
                               'dev.racetrace.agent.config.ConfigReference']).decode()
path = 'docs/configuration.md'
text = open(path).read()
begin = text.index('<!-- BEGIN GENERATED: ConfigKey -->')
end_marker = '<!-- END GENERATED: ConfigKey -->'
end = text.index(end_marker) + len(end_marker) + 1
open(path, 'w').write(text[:begin] + gen + text[end:])
PY
