//! A log served over HTTP(S), for `zkstatus log audit URL`: the log is a
//! folder of static files (c2sp.org/tlog-tiles), so reading it remotely is
//! a GET per file. `ureq` does the HTTP and TLS (rustls, the Mozilla root
//! store of `webpki-roots`); this module only maps the tlog-tiles paths
//! onto the base URL and enforces each file's size cap while reading, so a
//! hostile server cannot make the auditor allocate more than the cap.

use std::time::Duration;
use zkstatus_log::Store;

/// Per-request time limit: a tile is at most a few kilobytes.
const TIMEOUT: Duration = Duration::from_secs(30);

/// A log at an `http://` or `https://` base URL.
pub struct HttpStore {
    base: String,
    agent: ureq::Agent,
}

impl HttpStore {
    /// `base` is the URL of the log's folder (a trailing `/` is optional).
    /// `None` if it is not an http(s) URL.
    pub fn new(base: &str) -> Option<Self> {
        let rest = base
            .strip_prefix("https://")
            .or_else(|| base.strip_prefix("http://"))?;
        if rest.is_empty() || rest.starts_with('/') {
            return None;
        }
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(TIMEOUT))
            // 404 is an answer (a missing file), not an error.
            .http_status_as_error(false)
            .user_agent(concat!("zkstatus/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        Some(Self {
            base: base.trim_end_matches('/').to_string(),
            agent,
        })
    }

    /// Whether `source` names a URL rather than a folder.
    pub fn is_url(source: &str) -> bool {
        source.starts_with("http://") || source.starts_with("https://")
    }
}

impl Store for HttpStore {
    fn get(&self, path: &str, cap: usize) -> Result<Option<Vec<u8>>, String> {
        // Only the layout's own names, as for a folder.
        if !zkstatus_log::fs::is_log_path(path) {
            return Err("not a log path".into());
        }
        let url = format!("{}/{path}", self.base);
        let mut resp = self
            .agent
            .get(&url)
            .call()
            .map_err(|e| format!("GET {url}: {e}"))?;
        match resp.status().as_u16() {
            200 => {}
            404 | 410 => return Ok(None),
            s => return Err(format!("GET {url}: HTTP status {s}")),
        }
        let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
        let body = resp
            .body_mut()
            .with_config()
            .limit(limit)
            .read_to_vec()
            .map_err(|e| match e {
                ureq::Error::BodyExceedsLimit(_) => format!("larger than {cap} bytes"),
                e => format!("GET {url}: {e}"),
            })?;
        if body.len() > cap {
            return Err(format!("larger than {cap} bytes"));
        }
        Ok(Some(body))
    }
}
