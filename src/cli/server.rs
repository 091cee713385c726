//! `lexls server`: the language server on stdin/stdout.

use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Accepted and ignored: the server always speaks on stdin/stdout (VS Code adds it).
    #[arg(long)]
    pub stdio: bool,
}

pub fn run(_args: &Args) -> anyhow::Result<ExitCode> {
    crate::lsp::run_stdio()?;
    Ok(ExitCode::SUCCESS)
}
