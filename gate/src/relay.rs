//! The relay: a command run after each ACCEPT (it opens the turnstile).
//!
//! The command is run with `sh -c`, with no input and its output discarded,
//! and killed after a timeout. Its failure is reported to the caller (the
//! CLI logs it on stderr); the verdict, already printed and recorded,
//! stands.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Why the relay command failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RelayError {
    /// It could not be started.
    #[error("the relay command could not start: {0}")]
    Spawn(std::io::Error),
    /// Waiting for it failed.
    #[error("the relay command could not be waited for: {0}")]
    Wait(std::io::Error),
    /// It ran longer than the timeout and was killed.
    #[error("the relay command ran longer than {0:?} and was killed")]
    Timeout(Duration),
    /// It exited with a failure status.
    #[error("the relay command failed ({0})")]
    Failed(std::process::ExitStatus),
}

/// A relay command with its timeout.
#[derive(Debug, Clone)]
pub struct Relay {
    command: String,
    timeout: Duration,
}

impl Relay {
    /// `command` (a shell command line), killed after `timeout`.
    pub fn new(command: String, timeout: Duration) -> Self {
        Self { command, timeout }
    }

    /// Run it once and wait (at most the timeout).
    pub fn run(&self) -> Result<(), RelayError> {
        let mut child = Command::new("sh")
            .arg("-c")
            .arg(&self.command)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(RelayError::Spawn)?;
        let start = Instant::now();
        loop {
            match child.try_wait().map_err(RelayError::Wait)? {
                Some(status) if status.success() => return Ok(()),
                Some(status) => return Err(RelayError::Failed(status)),
                None if start.elapsed() >= self.timeout => {
                    // Already exited between the two calls is fine.
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(RelayError::Timeout(self.timeout));
                }
                None => std::thread::sleep(Duration::from_millis(5)),
            }
        }
    }
}
