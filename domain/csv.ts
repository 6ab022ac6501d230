/**
 * Small RFC 4180 CSV: fields separated by commas, records by CRLF (LF accepted), fields with a
 * comma, a quote or a line break enclosed in double quotes, quotes doubled inside them. The
 * parser keeps each record's first line number so errors can name lines, and keeps going after
 * a bad record so every bad line is reported at once.
 */
export interface CsvRecord {
  /** 1-based line number where the record starts. */
  line: number;
  fields: string[];
}

export interface CsvError {
  line: number;
  message: string;
}

export interface CsvParseResult {
  records: CsvRecord[];
  errors: CsvError[];
}

export function parseCsv(input: string): CsvParseResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  const errors: CsvError[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;

  while (i < n) {
    const startLine = line;
    const fields: string[] = [];
    let error: string | undefined;
    let field = '';
    let endOfRecord = false;
    let atFieldStart = true;

    while (!endOfRecord) {
      if (i >= n) {
        fields.push(field);
        break;
      }
      const ch = text[i];
      if (atFieldStart && ch === '"') {
        // A quoted field: up to the closing quote, "" is one quote, line breaks are data.
        i++;
        let closed = false;
        while (i < n) {
          const q = text[i];
          if (q === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            closed = true;
            break;
          }
          if (q === '\n') line++;
          field += q;
          i++;
        }
        if (!closed) {
          error ??= 'unterminated quoted field';
          fields.push(field);
          break;
        }
        atFieldStart = false;
        const next = text[i];
        if (i < n && next !== ',' && next !== '\n' && next !== '\r') {
          error ??= `unexpected character after a closing quote (field ${fields.length + 1})`;
          // Skip to the end of this field.
          while (i < n && text[i] !== ',' && text[i] !== '\n' && text[i] !== '\r') i++;
        }
        continue;
      }
      if (ch === ',') {
        fields.push(field);
        field = '';
        atFieldStart = true;
        i++;
        continue;
      }
      if (ch === '\r' || ch === '\n') {
        fields.push(field);
        i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
        line++;
        endOfRecord = true;
        continue;
      }
      if (ch === '"') error ??= `a quote inside an unquoted field (field ${fields.length + 1})`;
      field += ch;
      atFieldStart = false;
      i++;
    }

    const blank = fields.length === 1 && fields[0] === '' && !error;
    if (blank) continue;
    if (error) errors.push({ line: startLine, message: error });
    records.push({ line: startLine, fields });
  }
  return { records, errors };
}

/** A plain decimal number ("-12.50", "3"): spreadsheets read it as a number, never as a formula. */
const NUMBER = /^[+-]?\d+(\.\d+)?$/;

/**
 * OWASP's rule against CSV (formula) injection: a text cell starting with `=`, `+`, `-`, `@`, a tab
 * or a carriage return would be run as a formula by a spreadsheet (`=HYPERLINK(…)` in a talent's
 * name): it gets a leading `'`, which spreadsheets show as text. Plain numbers are left as they are.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) && !NUMBER.test(text) ? `'${text}` : text;
}

/** One field, neutralised against formulas (neutraliseFormula), quoted when it has to be. */
export function formatCsvField(value: string | number | null | undefined): string {
  const text = value === null || value === undefined ? '' : typeof value === 'number' ? String(value) : neutraliseFormula(value);
  return /[",\r\n]/.test(text) || /^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows → CSV text, CRLF line endings, a final CRLF. */
export function formatCsv(rows: (string | number | null | undefined)[][]): string {
  return rows.map((row) => row.map(formatCsvField).join(',')).join('\r\n') + (rows.length ? '\r\n' : '');
}
