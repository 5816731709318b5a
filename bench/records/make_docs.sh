#!/bin/sh
# Rebuilds bench/records/docs/, made-from/ and licenses/ from installed Debian packages (see SOURCES.md).
# Needs: apt-get install -y distro-info-data iso-codes tzdata netbase libreoffice-calc-nogui python3
# Run from anywhere; writes next to this script. Takes a few seconds.
# The questions were checked against the package versions named in SOURCES.md; after a rebuild with newer
# versions, run check.py: a changed record shows up as a quote that is no longer found.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/docs"
made="$here/made-from"
rm -rf "$out" "$made"
mkdir -p "$out" "$made"

# distro-info-data: Debian releases as shipped (CSV).
cp /usr/share/distro-info/debian.csv "$out/debian.csv"

# distro-info-data: Ubuntu releases, turned into a spreadsheet by LibreOffice Calc. The CSV it was made from
# is kept in made-from/ (not indexed) so that check.py can compare the two. The import filter options are:
# comma-separated, double-quoted text, UTF-8, start at line 1, and column 1 (version) imported as text, so
# that "4.10" stays "4.10" rather than becoming the number 4.1. The date columns become date cells.
cp /usr/share/distro-info/ubuntu.csv "$made/ubuntu.csv"
t=$(mktemp -d)
HOME="$t" soffice --headless --infilter="CSV:44,34,76,1,1/2" \
    --convert-to "xlsx:Calc MS Excel 2007 XML" --outdir "$out" "$made/ubuntu.csv" >/dev/null 2>&1 || true
rm -rf "$t"
[ -s "$out/ubuntu.xlsx" ] || { echo "no ubuntu.xlsx made" >&2; exit 1; }

# iso-codes: currencies, countries, former countries and languages as shipped (pretty-printed JSON).
for f in iso_4217 iso_3166-1 iso_3166-3 iso_639-2; do
    cp "/usr/share/iso-codes/json/$f.json" "$out/$f.json"
done

# iso-codes: scripts (ISO 15924) rewritten as JSON lines, one record a line, keys and order as shipped.
python3 - /usr/share/iso-codes/json/iso_15924.json "$out/iso_15924.jsonl" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))["15924"]
with open(sys.argv[2], "w", encoding="utf-8") as f:
    for r in rows:
        f.write(json.dumps(r, ensure_ascii=False) + "\n")
PY

# tzdata: zone1970.tab as a TSV: the comment lines dropped, a header row added (the column names the file's
# own comment gives: "country-codes", "coordinates", "TZ", "comments"). Rows without a comment keep 3 fields.
{
    printf 'country-codes\tcoordinates\tTZ\tcomments\n'
    grep -v '^#' /usr/share/zoneinfo/zone1970.tab
} > "$out/zone1970.tsv"

# netbase: the services and protocols tables as shipped, with their comments, as .txt.
cp /etc/services "$out/services.txt"
cp /etc/protocols "$out/protocols.txt"

# The packages' copyright files (and the licence texts they point to) travel with the files.
lic="$here/licenses"
rm -rf "$lic"; mkdir -p "$lic"
for p in distro-info-data iso-codes tzdata netbase; do
    cp "/usr/share/doc/$p/copyright" "$lic/$p.copyright"
done
cp /usr/share/common-licenses/GPL-2 "$lic/GPL-2"
cp /usr/share/common-licenses/LGPL-2.1 "$lic/LGPL-2.1"

ls -l "$out"
du -sh "$out"
