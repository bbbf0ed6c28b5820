//! Writing results. A reader that stops reading (`caucus … | head`) is the
//! reader's choice: the rest of the output is dropped without an error.

use std::io::{ErrorKind, Write};

use crate::fail::Fail;

/// Writes `text` to standard output.
pub fn print(text: &str) -> Result<(), Fail> {
    let mut out = std::io::stdout().lock();
    finish(out.write_all(text.as_bytes()).and_then(|()| out.flush()))
}

/// What a write came to: a closed pipe is not a failure.
pub fn finish(written: std::io::Result<()>) -> Result<(), Fail> {
    match written {
        Err(e) if e.kind() != ErrorKind::BrokenPipe => {
            Err(Fail::new(format!("the output could not be written: {e}.")))
        }
        _ => Ok(()),
    }
}

/// A bug in Caucus says so in one sentence, not with a Rust backtrace.
pub fn plain_panics() {
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        let place =
            info.location().map_or(String::new(), |l| format!(" ({}:{})", l.file(), l.line()));
        eprintln!(
            "caucus: an internal error stopped the work: {what}{place}. This is a bug in Caucus; \
             please report it with the command you ran."
        );
    }));
}
