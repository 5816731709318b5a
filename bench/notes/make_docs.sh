#!/bin/sh
# Rebuilds bench/notes/docs/ from Debian documentation packages (see SOURCES.md).
# Needs: apt-get install -y debian-reference-en debian-handbook python3-doc developers-reference
#        maint-guide debian-faq git-doc pandoc libreoffice-writer poppler-utils
# Run from anywhere; writes next to this script. Takes about two minutes (LibreOffice is the slow part).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out="$here/docs"
rm -rf "$out"
mkdir -p "$out"
pdf() { # HTML page -> PDF through LibreOffice, as a browser's "print to PDF" would
    b=$(basename "$1" .html)
    soffice --headless --convert-to pdf:writer_web_pdf_Export --outdir "$2" "$1" >/dev/null 2>&1 || true
    if [ ! -s "$2/$b.pdf" ]; then
        # LibreOffice refuses some Sphinx pages ("source file could not be loaded"): let pandoc
        # rewrite the page as plain standalone HTML first, then print that.
        t=$(mktemp -d)
        pandoc -f html -t html5 -s "$1" -o "$t/$b.html"
        soffice --headless --convert-to pdf:writer_web_pdf_Export --outdir "$2" "$t/$b.html" >/dev/null 2>&1 || true
        rm -rf "$t"
    fi
    [ -s "$2/$b.pdf" ] || { echo "no PDF made from $1" >&2; exit 1; }
}

# The Debian Administrator's Handbook: section pages as shipped (HTML), ten of them rendered to PDF.
src=/usr/share/doc/debian-handbook/html/en-US
d="$out/debian-handbook"; mkdir -p "$d"
aspdf="sect.quotas sect.backup sect.ipv6 sect.kernel-compilation sect.apparmor sect.task-scheduling-cron-atd
       sect.syslog sect.http-web-server sect.nfs-file-server sect.remote-login"
for f in "$src"/sect.*.html; do
    b=$(basename "$f" .html)
    case " $(echo $aspdf) " in
        *" $b "*) pdf "$f" "$d" ;;
        *) cp "$f" "$d/" ;;
    esac
done

# Debian Reference: chapters as shipped (HTML), renamed after their titles.
src=/usr/share/debian-reference
d="$out/debian-reference"; mkdir -p "$d"
while read -r f name; do cp "$src/$f.en.html" "$d/$name.html"; done <<'EOF'
pr01 00-preface
ch01 01-gnu-linux-tutorials
ch02 02-debian-package-management
ch03 03-system-initialization
ch04 04-authentication-and-access-controls
ch05 05-network-setup
ch06 06-network-applications
ch07 07-gui-system
ch08 08-i18n-and-l10n
ch09 09-system-tips
ch10 10-data-management
ch11 11-data-conversion
ch12 12-programming
apa  appendix
EOF

# Debian FAQ: one chapter per file, HTML turned into plain text.
src=/usr/share/doc/debian/FAQ
d="$out/debian-faq"; mkdir -p "$d"
for f in "$src"/*.en.html; do
    b=$(basename "$f" .en.html)
    [ "$b" = index ] && continue
    pandoc -f html -t plain --wrap=auto "$f" -o "$d/$b.txt"
done

# Debian New Maintainers' Guide: the PDF as shipped.
d="$out/maint-guide"; mkdir -p "$d"
cp /usr/share/doc/maint-guide/maint-guide.en.pdf "$d/"

# Debian Developer's Reference: reStructuredText sources turned into Markdown.
src=/usr/share/developers-reference/_sources
d="$out/developers-reference"; mkdir -p "$d"
for f in "$src"/*.rst.txt; do
    b=$(basename "$f" .rst.txt)
    [ "$b" = index ] && continue
    pandoc -f rst -t gfm "$f" -o "$d/$b.md"
done

# Python 3.11 documentation.
py=/usr/share/doc/python3.11/html
d="$out/python-tutorial"; mkdir -p "$d"          # tutorial: HTML as shipped
for f in "$py"/tutorial/*.html; do [ "$(basename "$f")" = index.html ] || cp "$f" "$d/"; done
for part in faq using; do                          # FAQ and "Using Python": Markdown from the sources
    d="$out/python-$part"; mkdir -p "$d"
    for f in "$py/_sources/$part"/*.rst.txt; do
        b=$(basename "$f" .rst.txt)
        [ "$b" = index ] && continue
        pandoc -f rst -t gfm "$f" -o "$d/$b.md"
    done
done
d="$out/python-howto"; mkdir -p "$d"             # HOWTOs: some printed to PDF, the rest plain text
for f in "$py"/howto/*.html; do
    b=$(basename "$f" .html)
    case $b in
        index) ;;
        argparse|curses|descriptor|enum|functional|ipaddress|logging|regex|sockets|sorting|unicode) pdf "$f" "$d" ;;
        *) pandoc -f html -t plain "$f" -o "$d/$b.txt" ;;
    esac
done

# Git: user guides as shipped HTML, developer notes and HOWTOs as shipped text (AsciiDoc).
src=/usr/share/doc/git-doc
d="$out/git"; mkdir -p "$d/howto"
for b in gittutorial gittutorial-2 gitcore-tutorial gitfaq giteveryday gitworkflows gitcvs-migration user-manual; do
    cp "$src/$b.html" "$d/"
done
for b in MyFirstContribution ReviewingGuidelines SubmittingPatches ToolsForGit; do cp "$src/$b.txt" "$d/"; done
cp "$src"/howto/*.txt "$d/howto/"

# The packages' copyright files (and the GPL-2 text they point to) travel with the documents.
lic="$here/licenses"
rm -rf "$lic"; mkdir -p "$lic"
for p in debian-handbook debian-reference-en debian-faq maint-guide developers-reference python3.11-doc git-doc; do
    cp "/usr/share/doc/$p/copyright" "$lic/$p.copyright"
done
cp /usr/share/common-licenses/GPL-2 "$lic/GPL-2"

find "$out" -type f | sed 's/.*\.//' | sort | uniq -c
du -sh "$out"
