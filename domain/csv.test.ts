import fc from 'fast-check';
import { formatCsv, formatCsvField, neutraliseFormula, parseCsv } from './csv';

describe('CSV (RFC 4180)', () => {
  it('parses plain and quoted fields, CRLF and LF, and keeps line numbers', () => {
    const { records, errors } = parseCsv('a,b,c\r\n1,"x, y","say ""hi"""\n"multi\nline",,end\n');
    expect(errors).toEqual([]);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', '', 'end'] },
    ]);
  });

  it('ignores a BOM, blank lines and a missing final newline', () => {
    expect(parseCsv('\ufeffa,b\n\n1,2').records).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 3, fields: ['1', '2'] },
    ]);
  });

  it('reports every bad line and keeps going', () => {
    const { records, errors } = parseCsv('ok,1\nbad"quote,2\n"x"y,3\nfine,4\n"never closed,5\n');
    expect(errors).toEqual([
      { line: 2, message: expect.stringMatching(/quote inside/) },
      { line: 3, message: expect.stringMatching(/after a closing quote/) },
      { line: 5, message: expect.stringMatching(/unterminated/) },
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 5]);
    expect(records[3].fields).toEqual(['fine', '4']);
  });

  it('quotes only when needed', () => {
    expect(formatCsvField('plain')).toBe('plain');
    expect(formatCsvField('a,b')).toBe('"a,b"');
    expect(formatCsvField('say "hi"')).toBe('"say ""hi"""');
    expect(formatCsvField('two\nlines')).toBe('"two\nlines"');
    expect(formatCsvField(' padded')).toBe('" padded"');
    expect(formatCsvField(12)).toBe('12');
    expect(formatCsvField(null)).toBe('');
    expect(formatCsv([['a', 'b'], ['1', '2']])).toBe('a,b\r\n1,2\r\n');
  });

  it('neutralises cells a spreadsheet would run as formulas (OWASP), leaving plain numbers alone', () => {
    expect(formatCsvField('=HYPERLINK("http://evil.example","Click")')).toBe(`"'=HYPERLINK(""http://evil.example"",""Click"")"`);
    for (const lead of ['=', '+', '-', '@', '\t', '\r']) expect(parseCsv(formatCsv([[`${lead}1+1`, 'x']])).records[0].fields[0]).toBe(`'${lead}1+1`);
    expect(formatCsvField('-12.50')).toBe('-12.50');
    expect(formatCsvField('+3')).toBe('+3');
    expect(formatCsvField(-5)).toBe('-5');
    expect(formatCsvField('Ann =1')).toBe('Ann =1');
  });

  it('round-trips any table of strings (formulas come back neutralised)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ maxLength: 12 }), { minLength: 2, maxLength: 5 }), { minLength: 1, maxLength: 10 }), (rows) => {
        const parsed = parseCsv(formatCsv(rows));
        expect(parsed.errors).toEqual([]);
        // A row made of one empty field is a blank line: the only shape that cannot survive; rows here have ≥ 2 fields.
        expect(parsed.records.map((r) => r.fields)).toEqual(rows.map((row) => row.map(neutraliseFormula)));
      }),
      { numRuns: 500 },
    );
  });
});
