"""``FILENAME``: a file name with a known extension, with its directory path when it has one
("report_final.pdf", "C:\\Users\\jsmith\\notes.docx", "/home/ana/scans/id-card.png"): a path
often holds a user name, so the whole path is the span.

Only extensions of documents, images, media, archives, data and code count, so domains
("example.com") and abbreviations ("e.g.") are not file names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.text.recognizers.base import ALL_LANGUAGES, recognizer
from veil.text.spans import Span

EXTENSIONS = (
    "pdf|docx?|xlsx?|xlsm|pptx?|odt|ods|odp|rtf|txt|md|csv|tsv|json|xml|ya?ml|log|ini|cfg|conf|"
    "jpe?g|png|gif|bmp|tiff?|heic|webp|svg|psd|raw|mp3|wav|flac|m4a|ogg|mp4|mov|avi|mkv|wmv|webm|"
    "zip|rar|7z|tar|gz|tgz|bz2|xz|iso|dmg|exe|msi|apk|bat|sh|ps1|py|js|ts|java|cpp|cs|rb|php|"
    "html?|css|sql|db|sqlite|bak|eml|msg|pst|ics|vcf|key|pem|crt|p12|pfx|dcm|dicom|epub|mobi|pages|numbers"
)
FILENAME = re.compile(
    rf"(?<![\w@/\\.-])(?:"
    rf"(?:[A-Za-z]:\\|\\\\[\w.-]+\\)(?:[\w .()~+-]+\\)*[\w][\w .()~+-]*\.(?:{EXTENSIONS})"  # Windows path
    rf"|(?:~|\.{{1,2}})?/(?:[\w.~()+-]+/)*[\w][\w.~()+-]*\.(?:{EXTENSIONS})"  # POSIX path
    rf"|[\w][\w~()+-]*(?:\.[\w~()+-]+)*\.(?:{EXTENSIONS})"  # a bare file name
    rf")(?![\w/\\-]|\.\w)",
    re.IGNORECASE,
)


@recognizer("filename", "FILENAME", languages=ALL_LANGUAGES)
def find_filenames(text: str) -> Iterator[Span]:
    if "." not in text:
        return
    for m in FILENAME.finditer(text):
        value = m.group()
        if value.count(".") == 1 and value.split(".")[0].isdigit():
            continue  # "3.5", "2.7z"-like numbers
        yield Span(m.start(), m.end(), "FILENAME", 0.85, "pattern")
