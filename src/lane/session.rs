//! One request's part in the lane, as an explicit state machine:
//!
//! ```text
//! Idle ──(compile hook: eligible)──> Lane ──(native or mid-boot answer sent)─> Answered
//!   │                                 │ └─(post lock: write first)─> Pending ─┘
//!   │                                 └─(a check declined)─> Full
//!   └─(compile hook: not eligible)─> Full ──(handler, evidence due)─> Recording ──> Full
//! ```
//!
//! `Full` is a beat WordPress answers; `Recording` is one whose evidence the plugin hands
//! over after the response. The state is counted once, when the request ends.

use super::native::Context;
use fastbeat_lane::answer::HeaderModel;
use fastbeat_lane::evidence::Evidence;
use fastbeat_lane::facts::Note;
use fastbeat_lane::reason::Reason;
use fastbeat_lane::shape::Shape;
use fastbeat_lane::tally::Path;
use std::cell::RefCell;

/// What a logged-out native answer is made of.
#[derive(Debug, Clone)]
pub struct NoPrivPlan {
    pub charset: String,
    pub origins: Vec<String>,
    pub headers: HeaderModel,
}

/// How the lane answers the beat it took.
#[derive(Debug)]
pub enum Plan {
    NoPriv(NoPrivPlan),
    Native(Box<Context>),
    /// Part-way through the boot, through the object cache (`fastbeat_lane::midboot`):
    /// the file `lane/midboot.php` stands in for.
    MidBoot(Box<Context>, String),
}

/// A request's state.
#[derive(Debug, Default)]
pub enum State {
    /// Nothing decided: not a heartbeat to a registered site (yet).
    #[default]
    Idle,
    /// The compile hook chose the lane's script for this beat.
    Lane { shape: Shape, plan: Plan },
    /// A post-lock answer decided; the lock is being written.
    Pending {
        shape: Shape,
        ctx: Box<Context>,
        lock: String,
        auth_check: bool,
        now: i64,
    },
    /// The lane answered.
    Answered { shape: Shape, path: Path },
    /// WordPress answers this beat.
    Full {
        shape: Option<Shape>,
        why: Reason,
        /// Sent down the full path for the self-check.
        sampled: bool,
    },
    /// WordPress answers, and the beat's evidence (captured when core's handler ran) is
    /// waiting for the plugin's facts after the response.
    Recording {
        shape: Shape,
        why: Reason,
        sampled: bool,
        key: String,
        evidence: Box<Evidence>,
        note: Box<Note>,
    },
}

/// The request's session.
#[derive(Debug, Default)]
pub struct Session {
    pub state: State,
    /// The site (admin-ajax.php real path, site key) once known.
    pub site: Option<(String, String)>,
    /// A primary admin-ajax.php compile was seen.
    pub admin_ajax: bool,
    /// CPU time at the request's start, when this request is measured.
    pub cpu_start: Option<u64>,
    /// PHP's clock at the request's start.
    pub started: i64,
    /// The file `lane/midboot.php` stood in for, once it ran.
    pub midboot_target: Option<String>,
}

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
}

/// Run `f` on this request's session. `f` must not call into PHP.
pub fn with<R>(f: impl FnOnce(&mut Session) -> R) -> R {
    SESSION.with(|s| f(&mut s.borrow_mut()))
}

/// A new request.
pub fn start(cpu_start: Option<u64>, started: i64) {
    with(|s| {
        *s = Session {
            cpu_start,
            started,
            ..Session::default()
        };
    });
}

/// The request is over: what it was, for the tally.
pub fn finish() -> Session {
    with(std::mem::take)
}

impl Session {
    /// The beat takes the full path for `why`.
    pub fn full(&mut self, shape: Option<Shape>, why: Reason) {
        self.state = State::Full {
            shape,
            why,
            sampled: false,
        };
    }

    /// The beat's shape, if known.
    pub fn shape(&self) -> Option<Shape> {
        match &self.state {
            State::Idle => None,
            State::Lane { shape, .. }
            | State::Pending { shape, .. }
            | State::Answered { shape, .. }
            | State::Recording { shape, .. } => Some(*shape),
            State::Full { shape, .. } => *shape,
        }
    }

    /// A short description for status displays.
    pub fn describe(&self) -> String {
        match &self.state {
            State::Idle => "idle".into(),
            State::Lane { shape, .. } => format!("lane ({})", shape.key()),
            State::Pending { shape, .. } => format!("lane ({}, writing the lock)", shape.key()),
            State::Answered { shape, path } => {
                format!("answered ({}, {})", shape.key(), path.key())
            }
            State::Full { why, .. } => format!("full path: {why}"),
            State::Recording { key, why, .. } => format!("full path, recording {key}: {why}"),
        }
    }
}
