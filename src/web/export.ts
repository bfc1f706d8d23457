import ExcelJS from 'exceljs';
import type { Context } from 'hono';
import type { Centimes } from '../domain/money.js';

/**
 * Tables exported for spreadsheets: CSV as French spreadsheets expect it (UTF-8 with BOM, `;` separator,
 * decimal comma, ISO dates) and XLSX with real numbers formatted in euros and real date cells.
 */
export interface Colonne<T> {
  titre: string;
  valeur: (ligne: T) => string | number | null;
  /** amounts in cents: exported in euros */
  euros?: boolean;
  /** `jour`: an ISO day (AAAA-MM-JJ); `instant`: an ISO timestamp, shown at Paris time */
  date?: 'jour' | 'instant';
  largeur?: number;
}

const FORMAT_EUROS = '#,##0.00 "€"';
const FORMAT_JOUR = 'dd/mm/yyyy';
const FORMAT_INSTANT = 'dd/mm/yyyy hh:mm';

const JOUR_ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * A spreadsheet's date has no time zone: a cell holds the wall-clock reading, written as that UTC instant
 * so that the library's serial number is the day (and time) the reader expects.
 */
function dateCellule(v: string, genre: 'jour' | 'instant'): Date | string {
  if (genre === 'jour') {
    const m = JOUR_ISO.exec(v);
    return m ? new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))) : v;
  }
  const t = new Date(v);
  if (Number.isNaN(t.getTime())) return v;
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Paris',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(t)
      .map((x) => [x.type, Number(x.value)]),
  ) as Record<string, number>;
  return new Date(Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!));
}

/** Cents to euros: both are exact integers, so the division gives the nearest number to the exact amount. */
const eurosXlsx = (c: Centimes) => c / 100;

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
    style: c.euros
      ? { numFmt: FORMAT_EUROS }
      : c.date
        ? { numFmt: c.date === 'jour' ? FORMAT_JOUR : FORMAT_INSTANT }
        : {},
  }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  for (const l of lignes) {
    ws.addRow(
      Object.fromEntries(
        colonnes.map((c, i) => {
          const v = c.valeur(l);
          if (c.euros && typeof v === 'number') return [`c${i}`, eurosXlsx(v)];
          if (c.date && typeof v === 'string') return [`c${i}`, dateCellule(v, c.date)];
          return [`c${i}`, v];
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
