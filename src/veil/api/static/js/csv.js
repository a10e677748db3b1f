// RFC 4180 CSV: quoted fields, doubled quotes, CRLF or LF line ends.

export function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  let i = 0;
  if (text.charCodeAt(0) === 0xfeff) i = 1; // byte order mark
  for (; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (field !== "" || row.length) {
    row.push(field);
    rows.push(row);
  }
  const nonEmpty = rows.filter((r) => !(r.length === 1 && r[0] === ""));
  if (!nonEmpty.length) return { header: [], records: [] };
  const header = nonEmpty[0].map((c) => c.trim());
  const records = nonEmpty.slice(1).map((r) => {
    const rec = {};
    header.forEach((name, j) => (rec[name] = r[j] === undefined ? "" : r[j]));
    return rec;
  });
  return { header, records };
}

function cell(value) {
  const s = value === null || value === undefined ? "" : String(value);
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

export function toCsv(header, records) {
  const lines = [header.map(cell).join(",")];
  for (const rec of records) lines.push(header.map((c) => cell(rec[c])).join(","));
  return lines.join("\n") + "\n";
}
