/**
 * Uploading a document straight to its signed URL (Cloud Storage, or the embedded default's blob server):
 * XMLHttpRequest because only it reports upload progress (`upload.onprogress`; fetch has no upload
 * progress). The bytes never pass through the API.
 */

export interface SignedUpload {
  url: string;
  method: 'PUT' | 'GET';
  headers: Record<string, string>;
}

/** Headers browsers set themselves and refuse from scripts (Fetch standard, "forbidden request-header"). */
const FORBIDDEN = new Set(['content-length', 'host', 'connection']);

/**
 * PUTs `file` to `upload.url` with exactly `upload.headers`. `onProgress` gets the fraction sent (0…1).
 * @returns when the storage answered 2xx; rejects with the storage's status and first 200 characters otherwise.
 */
export function uploadTo(
  upload: SignedUpload,
  file: Blob,
  onProgress: (fraction: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(upload.method, upload.url);
    for (const [name, value] of Object.entries(upload.headers))
      if (!FORBIDDEN.has(name.toLowerCase())) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(1);
        resolve();
      } else
        reject(new Error(`the storage refused the upload (HTTP ${xhr.status}): ${xhr.responseText.slice(0, 200)}`));
    };
    xhr.onerror = () => reject(new Error('the upload could not reach the storage'));
    xhr.onabort = () => reject(new Error('upload cancelled'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

const BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  xls: 'application/vnd.ms-excel',
  epub: 'application/epub+zip',
  html: 'text/html',
  htm: 'text/html',
  xhtml: 'application/xhtml+xml',
  csv: 'text/csv',
  tsv: 'text/tab-separated-values',
  txt: 'text/plain',
  md: 'text/markdown',
  markdown: 'text/markdown',
  json: 'application/json',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  tif: 'image/tiff',
  tiff: 'image/tiff',
  bmp: 'image/bmp',
};

/** The content type to declare: the browser's guess, else by extension (browsers leave many types empty). */
export function contentTypeOf(file: { name: string; type: string }): string {
  if (file.type) return file.type;
  const ext = file.name.toLowerCase().split('.').pop() ?? '';
  return BY_EXTENSION[ext] ?? 'application/octet-stream';
}
