//! The `lexls` command: `annotate`, `lint`, `explain`, `lexicon check|export`, `server`.

use std::io::Write;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use lexls::cli;

#[derive(Parser)]
#[command(
    name = "lexls",
    version,
    about = "Annotate and lint news articles with a lexicon of organisations, meetings, people, places and documents",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print every mention of a lexicon entity in the given files.
    Annotate(cli::annotate::Args),
    /// Check articles with the lint rules (for newsroom CI).
    Lint(cli::lint::Args),
    /// Print a rule's documentation.
    Explain(cli::lint::ExplainArgs),
    /// Work with lexicon files.
    #[command(subcommand)]
    Lexicon(cli::lexicon::Command),
    /// Run the language server on stdin/stdout.
    Server(cli::server::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = match cli.command {
        Command::Annotate(a) => cli::annotate::run(&a, &mut out),
        Command::Lint(a) => cli::lint::run(&a, &mut out),
        Command::Explain(a) => cli::lint::explain(&a, &mut out),
        Command::Lexicon(c) => cli::lexicon::run(&c, &mut out),
        Command::Server(a) => {
            drop(out);
            cli::server::run(&a)
        }
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            // A closed pipe (`lexls annotate … | head`) is not an error.
            if e.chain().any(|c| {
                c.downcast_ref::<std::io::Error>()
                    .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            }) {
                return ExitCode::SUCCESS;
            }
            let _ = writeln!(std::io::stderr(), "lexls: {e:#}");
            ExitCode::from(2)
        }
    }
}
