// QR codes in the popup: draws an entry's otpauth:// URI for a phone to scan, and reads the QR
// code in a screenshot of the user's tab. Both go through the separate QR wasm module
// (softkey-qr-wasm), loaded on first use only: the popup opens without it (and without the
// glue too, hence the dynamic import, which extension pages, unlike the service worker, have).

/** Quiet zone around the code, in modules (the QR standard asks for 4). */
const QUIET = 4;
/** The code's drawn side stays near this many CSS pixels, whatever its version. */
const TARGET_SIDE = 232;
const MIN_MODULE_PX = 3;

let ready = null;
/** @returns {Promise<{decodeRgba: Function, encode: Function}>} the QR module, instantiated */
function loadQr() {
  ready ??= import('../../wasm/softkey_qr.js')
    .then(async (qr) => {
      await qr.default();
      return qr;
    })
    .catch((error) => {
      ready = null;
      throw error;
    });
  return ready;
}

/**
 * Draws `uri` as a QR code into `element` (emptied first): a <canvas>, dark modules on white
 * whatever the theme (phone cameras look for dark on light), whole device pixels per module so
 * edges stay sharp. The dialog empties the element again when it closes.
 * @param {string} uri the otpauth:// URI (secret included)
 * @param {HTMLElement} element where to draw
 * @returns {Promise<boolean>} whether a QR code was drawn
 */
export async function renderQr(uri, element) {
  element.replaceChildren();
  const { encode } = await loadQr();
  const code = encode(uri);
  const size = code.size;
  const modules = code.modules;
  code.free();
  const side = size + 2 * QUIET;
  const ratio = Math.max(1, Math.round(globalThis.devicePixelRatio || 1));
  const cssModule = Math.max(MIN_MODULE_PX, Math.floor(TARGET_SIDE / side));
  const px = cssModule * ratio;
  const canvas = document.createElement('canvas');
  canvas.width = side * px;
  canvas.height = side * px;
  canvas.style.width = `${side * cssModule}px`;
  canvas.style.height = `${side * cssModule}px`;
  canvas.className = 'qr-code';
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', 'QR code of the otpauth:// link');
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#000';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (modules[y * size + x]) ctx.fillRect((x + QUIET) * px, (y + QUIET) * px, px, px);
    }
  }
  element.append(canvas);
  return true;
}

/**
 * The texts of the QR codes in an image (a data: URL, e.g. from chrome.tabs.captureVisibleTab).
 * Throws an Error named NoQrFound / QrUnreadable / BadImage with a message for the user.
 * @param {string} dataUrl
 * @returns {Promise<string[]>}
 */
export async function readQrCodes(dataUrl) {
  const [bitmap, { decodeRgba }] = await Promise.all([createImageBitmap(await (await fetch(dataUrl)).blob()), loadQr()]);
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d', { willReadFrequently: true });
    ctx.drawImage(bitmap, 0, 0);
    const { data, width, height } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
    return decodeRgba(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width, height);
  } finally {
    bitmap.close();
  }
}
