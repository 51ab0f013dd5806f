//! Scanner input, line by line, capped before buffering.
//!
//! A QR scanner in keyboard or serial mode types the code's text and Enter.
//! Rules (`docs/formats.md`, "Gate verdict lines"):
//!
//! - a line ends at `\n`; one `\r` before it is dropped (CR LF scanners);
//!   a lone `\r` inside a line is part of it (and makes it not a pass);
//! - a line longer than [`MAX_LINE_BYTES`] is never held in memory: the
//!   reader keeps the first bytes only, discards the rest up to the next
//!   `\n`, and reports [`Line::TooLong`];
//! - a final line without `\n` at end of input is a line like any other;
//! - bytes are returned as they are: UTF-8 is checked by the caller.

use std::io::{self, BufRead};

/// Longest line kept, bytes. A pass's text form is `ZKS2:` and the base45
/// of 178 bytes, 272 characters; 1 KiB leaves room for scanner prefixes
/// while bounding memory.
pub const MAX_LINE_BYTES: usize = 1024;

/// One line of input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Line {
    /// A line of at most [`MAX_LINE_BYTES`] bytes, without its `\r\n`/`\n`.
    Bytes(Vec<u8>),
    /// A line longer than the cap (its bytes were discarded).
    TooLong,
}

/// Reads [`Line`]s from a buffered reader without ever holding more than
/// [`MAX_LINE_BYTES`] bytes of one line.
#[derive(Debug)]
pub struct Lines<R> {
    inner: R,
    buf: Vec<u8>,
}

impl<R: BufRead> Lines<R> {
    /// Lines of `inner`.
    pub fn new(inner: R) -> Self {
        Self {
            inner,
            buf: Vec::with_capacity(MAX_LINE_BYTES + 1),
        }
    }

    /// The next line, `None` at end of input.
    pub fn next_line(&mut self) -> io::Result<Option<Line>> {
        self.buf.clear();
        let mut too_long = false;
        let mut any = false;
        loop {
            let chunk = match self.inner.fill_buf() {
                Ok(c) => c,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if chunk.is_empty() {
                // End of input: a partial final line is still a line.
                if !any {
                    return Ok(None);
                }
                break;
            }
            any = true;
            let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                Some(i) => (i, true),
                None => (chunk.len(), false),
            };
            if !too_long {
                // Keep one byte over the cap so a `\r` at the cap's edge is
                // still seen; more is discarded.
                let room = (MAX_LINE_BYTES + 1).saturating_sub(self.buf.len());
                if take > room {
                    too_long = true;
                } else {
                    self.buf.extend_from_slice(&chunk[..take]);
                }
            }
            self.inner.consume(if done { take + 1 } else { take });
            if done {
                break;
            }
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        if too_long || self.buf.len() > MAX_LINE_BYTES {
            return Ok(Some(Line::TooLong));
        }
        Ok(Some(Line::Bytes(std::mem::take(&mut self.buf))))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn all(input: &[u8]) -> Vec<Line> {
        // A tiny buffer: lines cross many fill_buf chunks.
        let mut l = Lines::new(io::BufReader::with_capacity(7, input));
        let mut out = vec![];
        while let Some(line) = l.next_line().unwrap() {
            out.push(line);
        }
        out
    }

    fn b(s: &[u8]) -> Line {
        Line::Bytes(s.to_vec())
    }

    #[test]
    fn lines_end_at_lf_with_one_cr_dropped_and_a_partial_last_line_counts() {
        assert_eq!(
            all(b"a\r\nbb\n\n\rc\r\r\nlast"),
            vec![b(b"a"), b(b"bb"), b(b""), b(b"\rc\r"), b(b"last")]
        );
        assert_eq!(all(b""), vec![]);
        assert_eq!(all(b"\n"), vec![b(b"")]);
    }

    #[test]
    fn a_line_over_the_cap_is_discarded_to_its_newline() {
        let mut input = vec![b'A'; MAX_LINE_BYTES];
        input.extend_from_slice(b"\r\n");
        input.extend(vec![b'B'; MAX_LINE_BYTES + 1]);
        input.extend_from_slice(b"\nok\n");
        input.extend(vec![b'C'; 10 * MAX_LINE_BYTES]);
        let got = all(&input);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0], Line::Bytes(vec![b'A'; MAX_LINE_BYTES]));
        assert_eq!(got[1], Line::TooLong);
        assert_eq!(got[2], b(b"ok"));
        assert_eq!(got[3], Line::TooLong);
    }
}
