//! `lexls server`: the language server on stdin/stdout.

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Accepted and ignored: the server always speaks on stdin/stdout (VS Code adds it).
    #[arg(long)]
    pub stdio: bool,
}

/// Exit code 0 after `shutdown` then `exit`; 1 when the client exits (or disappears)
/// without `shutdown`, as the protocol says.
pub fn run(_args: &Args) -> anyhow::Result<ExitCode> {
    Ok(if crate::lsp::run_stdio()? {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}
