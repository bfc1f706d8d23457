import { extractText, getDocumentProxy } from 'unpdf';

/** The text of a generated file as a reader sees it, its spaces (no-break ones too) made single. */
const aplatir = (s: string) => s.replace(/\s+/g, ' ').trim();

export async function textePdf(octets: ArrayBuffer | Uint8Array): Promise<string> {
  const pdf = await getDocumentProxy(new Uint8Array(octets));
  const { text } = await extractText(pdf, { mergePages: true });
  return aplatir(text);
}

export async function texteDocx(octets: ArrayBuffer | Uint8Array): Promise<string> {
  const mammoth = await import('mammoth');
  const { value } = await mammoth.extractRawText({ buffer: Buffer.from(octets as ArrayBuffer) });
  return aplatir(value);
}
