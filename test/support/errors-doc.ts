/**
 * Renders docs/errors.md from the packages' error tables, so the document and the code cannot
 * drift: test/docs/errors-doc.test.ts compares the file with this rendering, and
 * `UPDATE_DOCS=1 npx vitest run test/docs` rewrites it.
 */

export interface ErrorRow {
  readonly code: string;
  readonly message: string;
  readonly httpStatus?: number | undefined;
  readonly closeCode?: number | undefined;
  readonly exitCode?: number | undefined;
}

export interface ErrorSection {
  readonly title: string;
  readonly intro: string;
  readonly rows: readonly ErrorRow[];
  readonly columns: ReadonlyArray<'httpStatus' | 'closeCode' | 'exitCode'>;
}

const COLUMN_TITLE = { httpStatus: 'HTTP status', closeCode: 'WebSocket close code', exitCode: 'exit code' } as const;

function cell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function renderErrorsDoc(sections: readonly ErrorSection[]): string {
  const out: string[] = [
    '# Errors',
    '',
    'Every error Sealpost reports carries a stable code from one table per package. This file is',
    'generated from those tables (`UPDATE_DOCS=1 npx vitest run test/docs`) and a test keeps it equal',
    'to the code: change the table, then regenerate.',
    '',
  ];
  for (const section of sections) {
    out.push(`## ${section.title}`, '', section.intro, '');
    const headers = ['code', 'message', ...section.columns.map((c) => COLUMN_TITLE[c])];
    out.push(`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`);
    for (const row of section.rows) {
      const extra = section.columns.map((c) => (row[c] === undefined ? '' : String(row[c])));
      out.push(`| \`${row.code}\` | ${cell(row.message)} |${extra.map((e) => ` ${e} |`).join('')}`);
    }
    out.push('');
  }
  return out.join('\n');
}
