// Reads what the extension stored: the sealed vault and its index live in the extension origin's
// IndexedDB (database 'softkey', store 'vault'), out of content scripts' reach; an extension page
// such as the tests' `control` page shares that origin and can read them.

/** The records `keys` as stored (`{vault, vaultIndex}` unless told; any may be undefined), read
 * from the extension page `page`. */
export function readStoredVault(page, keys = ['vault', 'vaultIndex']) {
  return page.evaluate((keys) => new Promise((resolve, reject) => {
    const open = indexedDB.open('softkey');
    let absent = false;
    // No database yet: do not create an empty one (the worker creates it with its store).
    open.onupgradeneeded = () => { absent = true; open.transaction.abort(); };
    open.onerror = () => (absent ? resolve({}) : reject(open.error));
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('vault')) {
        db.close();
        resolve({});
        return;
      }
      const tx = db.transaction('vault', 'readonly');
      const store = tx.objectStore('vault');
      const out = {};
      for (const key of keys) {
        const request = store.get(key);
        request.onsuccess = () => { if (request.result !== undefined) out[key] = request.result; };
      }
      tx.oncomplete = () => { db.close(); resolve(out); };
      tx.onerror = () => reject(tx.error);
    };
  }), keys);
}
