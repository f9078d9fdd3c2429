// Hook for drawing an otpauth:// URI as a QR code in the popup's "Show QR" dialog.
//
// Not implemented yet: the dialog shows the URI as text beside `element`. A renderer should
// fill `element` (an empty <div>) with an <svg> or <canvas> of `uri` and return true; the
// dialog empties the element again when it closes, so nothing secret stays in the page.

/**
 * @param {string} uri the otpauth:// URI (secret included)
 * @param {HTMLElement} element where to draw; empty on entry
 * @returns {boolean} whether a QR code was drawn
 */
export function renderQr(uri, element) {
  void uri;
  element.replaceChildren();
  return false;
}
