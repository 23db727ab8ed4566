//! Writing to standard output without `println!`, which panics when the reader
//! has gone (`converge FILE | head`). A closed pipe is reported as `Closed`.

use std::io::{ErrorKind, Write};

/// Standard output was closed by the reader.
#[derive(Debug, PartialEq, Eq)]
pub struct Closed;

pub fn print(text: &str) -> Result<(), Closed> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == ErrorKind::BrokenPipe => Err(Closed),
        // Any other write error (disk full behind a redirect): nothing more can be shown either.
        Err(_) => Err(Closed),
    }
}
