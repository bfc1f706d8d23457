import ExcelJS from 'exceljs';
import type { Context } from 'hono';
import type { Centimes } from '../domain/money.js';

/**
 * Tables exported for spreadsheets: CSV as French spreadsheets expect it (UTF-8 with BOM, `;` separator,
 * decimal comma) and XLSX with real numbers formatted in euros.
 */
export interface Colonne<T> {
  titre: string;
  valeur: (ligne: T) => string | number | null;
  /** amounts in cents: exported in euros */
  euros?: boolean;
  largeur?: number;
}

const eurosCsv = (c: Centimes) => {
  const neg = c < 0 ? '-' : '';
  const a = Math.abs(c);
  return `${neg}${Math.trunc(a / 100)},${String(a % 100).padStart(2, '0')}`;
};

function celluleCsv(v: string | number | null): string {
  const s = v === null ? '' : String(v);
  // a leading =, +, - or @ would run as a formula in a spreadsheet
  const sur = /^[=+\-@\t\r]/.test(s) && typeof v === 'string' ? `'${s}` : s;
  return /[";\n\r]/.test(sur) ? `"${sur.replace(/"/g, '""')}"` : sur;
}

function csv<T>(colonnes: Colonne<T>[], lignes: T[]): string {
  const out = [colonnes.map((c) => celluleCsv(c.titre)).join(';')];
  for (const l of lignes) {
    out.push(
      colonnes
        .map((c) => {
          const v = c.valeur(l);
          return c.euros && typeof v === 'number' ? eurosCsv(v) : celluleCsv(v);
        })
        .join(';'),
    );
  }
  return `\uFEFF${out.join('\r\n')}\r\n`;
}

async function xlsx<T>(feuille: string, colonnes: Colonne<T>[], lignes: T[]): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Délégations';
  const ws = wb.addWorksheet(feuille.slice(0, 31));
  ws.columns = colonnes.map((c, i) => ({
    header: c.titre,
    key: `c${i}`,
    width: c.largeur ?? (c.euros ? 16 : 24),
    style: c.euros ? { numFmt: '#,##0.00 "€"' } : {},
  }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const l of lignes) {
    ws.addRow(
      Object.fromEntries(
        colonnes.map((c, i) => {
          const v = c.valeur(l);
          return [`c${i}`, c.euros && typeof v === 'number' ? v / 100 : v];
        }),
      ),
    );
  }
  return new Uint8Array(await wb.xlsx.writeBuffer());
}

export async function envoyerExport<T>(
  c: Context,
  format: string,
  nom: string,
  colonnes: Colonne<T>[],
  lignes: T[],
): Promise<Response> {
  if (format === 'xlsx') {
    const body = await xlsx(nom, colonnes, lignes);
    return c.body(body as unknown as ArrayBuffer, 200, {
      'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      'Content-Disposition': `attachment; filename="${nom}.xlsx"`,
    });
  }
  return c.body(csv(colonnes, lignes), 200, {
    'Content-Type': 'text/csv; charset=utf-8',
    'Content-Disposition': `attachment; filename="${nom}.csv"`,
  });
}
