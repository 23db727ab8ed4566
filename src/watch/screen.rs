//! Where the view goes: redrawn in place on a terminal (crossterm cursor moves,
//! no raw mode, so an interrupted watch leaves the terminal as it found it), one
//! line per poll when piped, or JSON lines. Decisions are logged as lines that stay.

use super::view::{self, Frame};
use crate::cli::output::Closed;
use crossterm::{cursor, queue, terminal};
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Mutex};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// Redraw a block in place.
    Tty,
    /// One line per poll.
    Lines,
    /// One JSON object per poll; log lines as `{"log": ...}`.
    Json,
}

impl Mode {
    pub fn detect() -> Mode {
        if std::io::stdout().is_terminal() {
            Mode::Tty
        } else {
            Mode::Lines
        }
    }
}

/// A writer tests can read back.
#[derive(Clone, Default)]
pub struct Captured(pub Arc<Mutex<Vec<u8>>>);

impl Captured {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.0.lock().map(|b| b.clone()).unwrap_or_default()).into_owned()
    }
}

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut b) = self.0.lock() {
            b.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

pub struct Screen {
    mode: Mode,
    out: Box<dyn Write>,
    /// Lines of the block drawn last (Tty), to move back over.
    drawn: u16,
    /// The reader went away: write nothing more.
    pub closed: bool,
}

impl Screen {
    pub fn stdout(mode: Mode) -> Screen {
        Screen { mode, out: Box::new(std::io::stdout()), drawn: 0, closed: false }
    }

    pub fn captured(mode: Mode) -> (Screen, Captured) {
        let c = Captured::default();
        (Screen { mode, out: Box::new(c.clone()), drawn: 0, closed: false }, c)
    }

    fn put(&mut self, text: &str) -> Result<(), Closed> {
        if self.closed {
            return Err(Closed);
        }
        if self.out.write_all(text.as_bytes()).and_then(|_| self.out.flush()).is_err() {
            self.closed = true;
            return Err(Closed);
        }
        Ok(())
    }

    fn erase_block(&mut self) {
        if self.mode == Mode::Tty && self.drawn > 0 && !self.closed {
            let _ = queue!(
                self.out,
                cursor::MoveToPreviousLine(self.drawn),
                terminal::Clear(terminal::ClearType::FromCursorDown)
            );
            self.drawn = 0;
        }
    }

    /// A line that stays (decisions, writes, the final result).
    pub fn log(&mut self, text: &str) {
        self.erase_block();
        let line = match self.mode {
            Mode::Json => format!("{}\n", serde_json::json!({ "log": text })),
            _ => format!("{text}\n"),
        };
        let _ = self.put(&line);
    }

    /// One poll. Err when standard output is closed.
    pub fn frame(&mut self, f: &Frame) -> Result<(), Closed> {
        match self.mode {
            Mode::Json => {
                let s = format!("{}\n", view::json(f));
                self.put(&s)
            }
            Mode::Lines => {
                let s = format!("{}\n", view::line(f));
                self.put(&s)
            }
            Mode::Tty => {
                self.erase_block();
                let width = terminal::size().map(|(w, _)| w as usize).unwrap_or(100).max(20);
                let lines = view::block(f);
                // Cut to the width: a wrapped line would break the move back up.
                let text: String =
                    lines.iter().map(|l| format!("{}\n", l.chars().take(width - 1).collect::<String>())).collect();
                self.put(&text)?;
                self.drawn = lines.len() as u16;
                Ok(())
            }
        }
    }

    /// Leave the last block on screen and the cursor below it.
    pub fn end(&mut self) {
        self.drawn = 0;
        let _ = self.out.flush();
    }
}
