"""Regenerates UnicodeNormalizationData.txt.gz from Python's unicodedata module.

Line formats (hex code points):
  D <cp> <ccc> <canonical full decomposition or -> <compatibility full decomposition or ->
  C <first> <second> <composite>          primary composites (canonical pairs not excluded from composition)
Hangul syllables are algorithmic and are not listed.
"""
import gzip
import unicodedata

lines = [f"# unicodedata {unicodedata.unidata_version}"]
for cp in range(0x110000):
    if 0xD800 <= cp <= 0xDFFF or 0xAC00 <= cp <= 0xD7A3:
        continue
    ch = chr(cp)
    ccc = unicodedata.combining(ch)
    nfd = unicodedata.normalize("NFD", ch)
    nfkd = unicodedata.normalize("NFKD", ch)
    if ccc == 0 and nfd == ch and nfkd == ch:
        continue
    d = " ".join(f"{ord(c):X}" for c in nfd) if nfd != ch else "-"
    k = " ".join(f"{ord(c):X}" for c in nfkd) if nfkd != nfd else "-"
    lines.append(f"D {cp:X} {ccc} {d.replace(' ', ',')} {k.replace(' ', ',')}")
    dec = unicodedata.decomposition(ch)
    if dec and not dec.startswith("<"):
        parts = dec.split()
        if len(parts) == 2 and unicodedata.normalize("NFC", nfd) == ch:
            lines.append(f"C {parts[0]} {parts[1]} {cp:X}")
with gzip.open("UnicodeNormalizationData.txt.gz", "wt", encoding="ascii", compresslevel=9) as f:
    f.write("\n".join(lines) + "\n")
