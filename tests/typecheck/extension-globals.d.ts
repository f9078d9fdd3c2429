// What `tsc --noEmit` (./build.sh test, "type check") needs to know beyond the generated
// dist/wasm/softkey.d.ts: the globals our checked scripts use. Deliberately loose (`any`): the
// check is about the calls into the wasm module, whose types come from the Rust types.
declare var chrome: any;
declare var SoftKeyMessages: any;
declare var SoftKeyBase64url: any;
declare var SoftKeySchema: any;
declare var SoftKeySites: any;
declare var softkeyMfaStats: any;
declare namespace chrome {
  namespace storage {
    type StorageArea = any;
  }
}
