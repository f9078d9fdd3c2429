// @ts-check
// Answers the extension pages (popup, setup, unlock, consent): one handler per request type
// declared in shared/messages.js (hop "ui"), each checked by validateUiRequest (shared/ui-api.js)
// in the worker's listener before it runs here.
import { answer, details } from './prompts.js';
import { fillCode } from './fill-menu.js';

const noTransfer = () => Promise.reject(Object.assign(new Error('export and import are not available here'), { name: 'Unsupported' }));

/**
 * @param {import('./vault-session.js').VaultSession} session
 * @param {{clipboard?: ReturnType<typeof import('./clipboard.js').clipboardClearer>,
 *   transfer?: () => Promise<typeof import('../../wasm/softkey_transfer.js')>}} [deps]
 *   `transfer` instantiates the export/import module on first use.
 */
export function uiHandlers(session, { clipboard, transfer = noTransfer } = {}) {
  return {
    'vault.status': async () => {
      const state = await session.state();
      return {
        state,
        settings: state === 'unlocked' ? await session.read((k) => k.settings()) : undefined,
        notice: session.notice ?? undefined, // e.g. the vault was restored from its second copy
      };
    },
    'vault.dismissNotice': () => session.dismissNotice(),
    'vault.create': async ({ password }) => {
      await session.create(password);
      return { state: 'unlocked' };
    },
    'vault.unlock': async ({ password }) => {
      await session.unlock(password);
      return { state: 'unlocked' };
    },
    'vault.lock': async () => {
      await session.lock();
      return { state: 'locked' };
    },
    'vault.changePassword': ({ oldPassword, newPassword }) =>
      session.mutate((k) => k.changePassword(oldPassword, newPassword)),
    'keys.list': () => session.read((k) => k.securityKeys()),
    'keys.update': ({ id, label, aws, askBeforeSignIn }) =>
      session.mutate((k) => k.updateSecurityKey(id, { label: label ?? undefined, aws: aws ?? undefined, askBeforeSignIn })),
    'keys.delete': ({ id }) => session.mutate((k) => k.deleteSecurityKey(id)),
    'totp.list': () => session.read((k) => k.totpCodes(Date.now())),
    'totp.add': ({ text, label, aws }) =>
      session.mutate((k) => k.addTotp(text, { label: label ?? undefined, aws: aws ?? undefined }, Date.now())),
    'totp.update': ({ id, label, aws }) =>
      session.mutate((k) => k.updateTotp(id, { label: label ?? undefined, aws: aws ?? undefined })),
    'totp.delete': ({ id }) => session.mutate((k) => k.deleteTotp(id)),
    'totp.reveal': async ({ id, password }) => {
      await session.verifyPassword(password);
      return session.read((k) => k.totpUri(id));
    },
    'qr.authenticatorTexts': ({ texts }) => session.authenticatorTexts(texts),
    'mfa.fillTab': (request) => fillCode(session, request),
    'settings.get': () => session.read((k) => k.settings()),
    'settings.set': async ({ settings }) => {
      await session.mutate((k) => k.setSettings(settings));
      session.settingsChanged();
      return null;
    },
    // Every export asks for the vault password again: an unlocked, unattended browser does not
    // hand out keys.
    'transfer.export': async ({ password, format, keys, filePassword }) => {
      await session.verifyPassword(password);
      const t = await transfer();
      return session.transfer((envelope, key) => t.exportFile(envelope, key, format, keys, filePassword ?? '', Date.now()));
    },
    'transfer.preview': async ({ data, filePassword }) => {
      const t = await transfer();
      return session.transfer((envelope, key) => t.previewImport(envelope, key, data, filePassword ?? ''));
    },
    'transfer.import': async ({ data, filePassword }) => {
      const t = await transfer();
      return session.transfer((envelope, key) => t.importFile(envelope, key, data, filePassword ?? '', Date.now()));
    },
    'clipboard.copied': (request) => (clipboard ? clipboard.copied(request) : null),
    'consent.get': ({ requestId }) => details(requestId),
    'consent.answer': ({ requestId, decision, label }) => {
      answer(requestId, { decision, label: label ?? undefined });
      return null;
    },
  };
}
