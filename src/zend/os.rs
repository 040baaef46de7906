//! What the operating system tells about this process.

use std::os::raw::c_int;

/// This process's CPU time (user + system) in microseconds.
pub fn cpu_micros() -> u64 {
    // SAFETY: getrusage fills the struct we own.
    let mut ru: Rusage = unsafe { std::mem::zeroed() };
    // SAFETY: RUSAGE_SELF with a valid out pointer.
    if unsafe { getrusage(0, &mut ru) } != 0 {
        return 0;
    }
    let us = |t: Timeval| {
        u64::try_from(t.tv_sec).unwrap_or(0) * 1_000_000 + u64::try_from(t.tv_usec).unwrap_or(0)
    };
    us(ru.ru_utime) + us(ru.ru_stime)
}

#[repr(C)]
#[derive(Clone, Copy)]
struct Timeval {
    tv_sec: i64,
    tv_usec: i64,
}

/// `struct rusage` on Linux x86_64/aarch64: two timevals, then 14 longs.
#[repr(C)]
struct Rusage {
    ru_utime: Timeval,
    ru_stime: Timeval,
    rest: [i64; 14],
}

extern "C" {
    fn getrusage(who: c_int, usage: *mut Rusage) -> c_int;
}
