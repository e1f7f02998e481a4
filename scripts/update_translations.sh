#!/usr/bin/env bash
# Refresh the .ts catalogues from the UI sources, then compile them to the .qm files the
# app loads. French is the source language; pixdesk_en.ts carries the English translations.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN="${VENV:-.venv}/bin"
I18N=pixdesk/resources/i18n
mapfile -t SOURCES < <(find pixdesk/ui pixdesk/app.py -name '*.py' | sort)
for lang in fr en; do
  "$BIN/pyside6-lupdate" -source-language fr_FR -target-language "${lang}" \
    "${SOURCES[@]}" -ts "$I18N/pixdesk_${lang}.ts"
  "$BIN/pyside6-lrelease" "$I18N/pixdesk_${lang}.ts" -qm "$I18N/pixdesk_${lang}.qm"
done
