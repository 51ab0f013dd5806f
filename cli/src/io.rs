//! Files and terminals: size-capped reads, `-` for stdin/stdout, owner-only
//! secret files, JSON output and a progress spinner.

use anyhow::{anyhow, bail, Result};
use std::fs::{self, File, OpenOptions, Permissions};
use std::io::{self, IsTerminal, Read, Write};
use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What every subcommand gets from the global flags.
#[derive(Debug, Clone, Copy)]
pub struct Ctx {
    /// `--json`: one JSON object on stdout instead of the human output.
    pub json: bool,
}

/// Largest proving-key file read.
pub const MAX_PK_BYTES: usize = 8 << 20;
/// Largest file of any other kind read.
pub const MAX_FILE_BYTES: usize = 64 << 10;
/// Largest payload file read (binary or text).
pub const MAX_PAYLOAD_BYTES: usize = 4 << 10;

/// Whether `p` is `-` (stdin or stdout).
pub fn is_stdio(p: &Path) -> bool {
    p.as_os_str() == "-"
}

/// How an input is named in messages.
pub fn input_name(p: &Path) -> String {
    if is_stdio(p) {
        "stdin".into()
    } else {
        p.display().to_string()
    }
}

/// How an output is named in messages.
pub fn output_name(p: &Path) -> String {
    if is_stdio(p) {
        "stdout".into()
    } else {
        p.display().to_string()
    }
}

/// An I/O error's reason without the `(os error N)` suffix.
pub fn io_reason(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => {
            let s = e.to_string();
            match s.find(" (os error") {
                Some(i) => s[..i].to_string(),
                None => s,
            }
        }
    }
}

static STDIN_TAKEN: AtomicBool = AtomicBool::new(false);

/// Read at most `cap` bytes of `path` (`-`: stdin, once per run); more is an
/// error, found before anything is parsed.
pub fn read_capped(path: &Path, cap: usize, what: &str) -> Result<Vec<u8>> {
    let buf = read_up_to(path, cap, what)?;
    check_cap(&buf, cap, what, &input_name(path))?;
    Ok(buf)
}

/// The error for input over the cap (`bytes` holds at most `cap + 1`).
pub fn check_cap(bytes: &[u8], cap: usize, what: &str, name: &str) -> Result<()> {
    if bytes.len() > cap {
        bail!("the {what} is larger than {cap} bytes, the most accepted ({name})");
    }
    Ok(())
}

/// Read `cap + 1` bytes of `path` at most, so that the caller can look at
/// the start of an oversized file before refusing it.
pub fn read_up_to(path: &Path, cap: usize, what: &str) -> Result<Vec<u8>> {
    let name = input_name(path);
    let mut buf = Vec::new();
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    let read = if is_stdio(path) {
        if STDIN_TAKEN.swap(true, Ordering::SeqCst) {
            bail!("only one input can be read from stdin ('-') ({what})");
        }
        io::stdin().lock().take(limit).read_to_end(&mut buf)
    } else {
        let f = File::open(path)
            .map_err(|e| anyhow!("cannot open the {what}: {} ({name})", io_reason(&e)))?;
        f.take(limit).read_to_end(&mut buf)
    };
    read.map_err(|e| anyhow!("cannot read the {what}: {} ({name})", io_reason(&e)))?;
    Ok(buf)
}

/// Read a value given on the command line as `-` from stdin (one line).
pub fn read_stdin_line(what: &str) -> Result<String> {
    let bytes = read_capped(Path::new("-"), 1024, what)?;
    let s = String::from_utf8(bytes).map_err(|_| anyhow!("the {what} is not text (stdin)"))?;
    Ok(s.trim().to_string())
}

/// Write `bytes` to `path` (`-`: stdout), replacing an existing file.
/// `private` files (credentials) are owner-only.
pub fn write_output(path: &Path, bytes: &[u8], what: &str, private: bool) -> Result<()> {
    let name = output_name(path);
    let fail = |e: io::Error| anyhow!("cannot write the {what}: {} ({name})", io_reason(&e));
    if is_stdio(path) {
        let mut out = io::stdout().lock();
        return out
            .write_all(bytes)
            .and_then(|()| out.flush())
            .map_err(fail);
    }
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(if private { 0o600 } else { 0o644 })
        .open(path)
        .map_err(fail)?;
    if private {
        f.set_permissions(Permissions::from_mode(0o600))
            .map_err(fail)?;
    }
    f.write_all(bytes).map_err(fail)
}

/// Write a new file, refusing to replace one unless `force`. A `secret` file
/// is created owner-only (0600) and never written to stdout.
pub fn write_new(path: &Path, bytes: &[u8], what: &str, force: bool, secret: bool) -> Result<()> {
    let name = output_name(path);
    if is_stdio(path) {
        if secret {
            bail!("refusing to write the {what} to stdout: give a file name");
        }
        return write_output(path, bytes, what, false);
    }
    check_new(path, what, force)?;
    let fail = |e: io::Error| anyhow!("cannot write the {what}: {} ({name})", io_reason(&e));
    if force {
        match fs::remove_file(path) {
            Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(fail(e)),
            _ => {}
        }
    }
    let mut f = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(if secret { 0o600 } else { 0o644 })
        .open(path)
        .map_err(|e| {
            if e.kind() == io::ErrorKind::AlreadyExists {
                anyhow!("the {what} already exists; use --force to replace it ({name})")
            } else {
                fail(e)
            }
        })?;
    if secret {
        f.set_permissions(Permissions::from_mode(0o600))
            .map_err(fail)?;
    }
    f.write_all(bytes).map_err(fail)
}

/// Replace `path` with `bytes` durably: write a temporary file beside it,
/// sync it, rename it over `path`, and sync the folder, so that a crash
/// leaves either the old file or the new one, never a mix.
pub fn replace_durably(path: &Path, bytes: &[u8], what: &str) -> Result<()> {
    let name = output_name(path);
    let fail = |e: io::Error| anyhow!("cannot write the {what}: {} ({name})", io_reason(&e));
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => Path::new(".").to_path_buf(),
    };
    let file_name = path
        .file_name()
        .ok_or_else(|| anyhow!("the {what} path names no file ({name})"))?;
    let mut tmp_name = std::ffi::OsString::from(".");
    tmp_name.push(file_name);
    tmp_name.push(".tmp");
    let tmp = dir.join(tmp_name);
    let mut f = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o644)
        .open(&tmp)
        .map_err(fail)?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(fail)?;
    drop(f);
    fs::rename(&tmp, path).map_err(fail)?;
    fs::File::open(&dir)
        .and_then(|d| d.sync_all())
        .map_err(fail)
}

/// Fail early if `path` exists and `force` is not set.
pub fn check_new(path: &Path, what: &str, force: bool) -> Result<()> {
    if !force && !is_stdio(path) && fs::symlink_metadata(path).is_ok() {
        bail!(
            "the {what} already exists; use --force to replace it ({})",
            path.display()
        );
    }
    Ok(())
}

/// Print one JSON object on stdout.
pub fn print_json(v: &serde_json::Value) {
    outln!("{v}");
}

/// Elapsed seconds and a turning wheel on stderr while a slow step runs,
/// only when stderr is a terminal. Stops (and clears its line) on drop.
#[derive(Debug)]
pub struct Spinner {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// Start showing `msg`.
    pub fn start(msg: &str) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = io::stderr().is_terminal().then(|| {
            let stop = Arc::clone(&stop);
            let msg = msg.to_string();
            std::thread::spawn(move || {
                const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
                let t = Instant::now();
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let mut err = io::stderr().lock();
                    let _ = write!(
                        err,
                        "\r{} {msg} {:.1} s",
                        FRAMES[i % FRAMES.len()],
                        t.elapsed().as_secs_f64()
                    );
                    let _ = err.flush();
                    drop(err);
                    i += 1;
                    std::thread::sleep(Duration::from_millis(100));
                }
                let _ = write!(io::stderr().lock(), "\r\x1b[2K");
            })
        });
        Self { stop, thread }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
