// @ts-check
// Where a cold sign-in spends its time, for tests/bench/cold-start.mjs: User Timing marks
// (`performance.mark`) named `softkey:*`, which the bench reads from the worker over the DevTools
// protocol. Only the first MAX_MARKS of a worker's life are kept: that covers the start and the
// first request (the cold path), and a worker that lives long does not collect marks forever.
// A mark costs microseconds and changes nothing else.
const MAX_MARKS = 24;
let left = MAX_MARKS;

/** Records `softkey:<name>` now, while this worker's budget of marks lasts. */
export function mark(name) {
  if (left <= 0) return;
  left--;
  performance.mark(`softkey:${name}`);
}

// tests/bench/warm-trace.mjs re-arms the budget over the DevTools protocol before each warm call
// it traces; nothing in the extension calls it.
globalThis.softkeyTrace = {
  rearm(n = MAX_MARKS) {
    left = n;
    performance.clearMarks();
  },
};

// The first module of the worker's script to run (service-worker.js imports this one first): the
// time before it is the script's fetch and compile, the time after it the modules' top-level code.
mark('script');
