//! Requests that were checked and wait for the user (consent) or the worker (signing): at most
//! [`MAX_PENDING_PER_CALLER`] per browser tab and [`MAX_PENDING`] in all. A request over either
//! cap is refused; nothing already waiting is ever pushed out, so one tab can neither evict
//! another tab's consent nor its own earlier requests.

use softkey_webauthn::client::{PreparedCreate, PreparedGet};
use softkey_webauthn::u2f_client::{PreparedU2fRegister, PreparedU2fSign};

use crate::error::KeyringError;

/// Most pending (prepared, not finished) requests one caller (a browser tab) may have at once.
/// Beyond it a new request is refused, as a browser refuses a second request while one is
/// pending.
pub const MAX_PENDING_PER_CALLER: usize = 16;

/// Most pending requests of all callers together: a bound on memory, reached only when very
/// many tabs are waiting at once. Also refuses rather than evicts.
pub const MAX_PENDING: usize = 1024;

/// The caller a request id belongs to: the text before its first `.` (the service worker
/// writes `<tab id>.<port>.<page request id>`); an id without a `.` is a caller of its own.
fn caller_of(request_id: &str) -> &str {
    request_id
        .split_once('.')
        .map_or(request_id, |(caller, _)| caller)
}

/// The pending requests of each ceremony, by request id. Maps, not queues: nothing is ever
/// taken out by age, only by id (finished or cancelled).
#[derive(Default)]
pub(super) struct Pending {
    pub(super) creates: Requests<PreparedCreate>,
    pub(super) gets: Requests<PreparedGet>,
    pub(super) u2f_registers: Requests<PreparedU2fRegister>,
    pub(super) u2f_signs: Requests<PreparedU2fSign>,
}

/// Requests of one ceremony by id: a list searched in full rather than a `BTreeMap`. There are
/// at most [`MAX_PENDING`], each search is a string comparison per entry (`admit` walks them all
/// anyway), and the B-tree's code, compiled once per ceremony, was 26 KB of the wasm module.
pub(super) struct Requests<T>(Vec<(String, T)>);

impl<T> Default for Requests<T> {
    fn default() -> Self {
        Self(Vec::new())
    }
}

impl<T> Requests<T> {
    /// Keeps `prepared` under `request_id`, in place of any request already under it.
    pub(super) fn insert(&mut self, request_id: String, prepared: T) {
        self.remove(&request_id);
        self.0.push((request_id, prepared));
    }

    /// Takes the request under `request_id` out, if there is one.
    pub(super) fn remove(&mut self, request_id: &str) -> Option<T> {
        let at = self.0.iter().position(|(id, _)| id == request_id)?;
        Some(self.0.swap_remove(at).1)
    }

    fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(id, _)| id)
    }
}

impl Pending {
    /// Every pending request id, whatever its ceremony.
    fn ids(&self) -> impl Iterator<Item = &String> {
        self.creates
            .keys()
            .chain(self.gets.keys())
            .chain(self.u2f_registers.keys())
            .chain(self.u2f_signs.keys())
    }

    /// Whether `request_id` may be kept pending: refused when its caller, or everyone together,
    /// already has the most allowed. A request id already pending may be prepared again (it
    /// replaces itself and takes no second place).
    pub(super) fn admit(&self, request_id: &str) -> Result<(), KeyringError> {
        if self.ids().any(|id| id == request_id) {
            return Ok(());
        }
        let caller = caller_of(request_id);
        let (mut total, mut of_caller) = (0usize, 0usize);
        for id in self.ids() {
            total += 1;
            if caller_of(id) == caller {
                of_caller += 1;
            }
        }
        if of_caller >= MAX_PENDING_PER_CALLER || total >= MAX_PENDING {
            return Err(KeyringError::TooManyPending {
                caller: caller.to_owned(),
            });
        }
        Ok(())
    }

    /// Forgets `request_id`, whatever its ceremony.
    pub(super) fn cancel(&mut self, request_id: &str) {
        self.creates.remove(request_id);
        self.gets.remove(request_id);
        self.u2f_registers.remove(request_id);
        self.u2f_signs.remove(request_id);
    }
}

/// Takes the prepared request `request_id` out of `map`: each is finished at most once, and
/// one cancelled is unknown.
pub(super) fn take<T>(map: &mut Requests<T>, request_id: &str) -> Result<T, KeyringError> {
    map.remove(request_id)
        .ok_or_else(|| KeyringError::UnknownRequest(request_id.into()))
}

#[cfg(test)]
mod tests;
