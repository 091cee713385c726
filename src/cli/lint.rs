//! `lexls lint`: checks articles with the lint rules, in parallel, and prints the findings
//! in a stable order; `--fix` applies safe fixes in place and `--diff` shows them. And
//! `lexls explain`, the rules' documentation.
//!
//! Files are printed as they are checked, in the walk's order, and dropped once printed (by
//! a worker, soon after): a run holds the texts of at most twice `WINDOW_PER_THREAD` files
//! per thread, so its memory does not grow with the number of files (issue 8).
//!
//! Exit codes: 0 when no finding reaches the `--deny` level, 1 when one does, 2 when a
//! file could not be checked or the config or lexicon is broken. A file that cannot be read
//! is reported on stderr and the others are still checked.

mod atomic;
mod ordered;
mod progress;
mod walk;

use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use super::annotate::{lexicon_errors, load_config};
use super::report::{self, Checked, Colors, Format, Reporter, Summary};
use crate::analysis::Engine;
use crate::config::Config;
use crate::rules::{self, Finding, Severity, apply_safe_fixes};
use progress::Progress;

/// Rounds of fixing at most: a fix can reveal another (composing decomposed text shows mixed
/// tone marks), and fixes that overlap wait for the next round.
const MAX_FIX_ROUNDS: usize = 8;

/// Files being checked or checked and waiting to be printed, at most, per thread. A few
/// keep every thread busy while one file takes longer than the others, and the printer is
/// woken once per half window: with 8, a one-thread run of 1,088 small files switches
/// context 540 times instead of 1,900 (4 per thread, woken for every file).
const WINDOW_PER_THREAD: usize = 8;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Files or folders to check (default: the current folder). Folders are walked for
    /// `*.txt` and `*.md` files (see `include`/`exclude` in `.lexls.toml`), skipping what
    /// `.gitignore` and `.ignore` list; a file named here is always checked.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: Format,
    /// The lowest severity that makes the run fail (exit code 1).
    #[arg(long, value_enum, default_value = "warning")]
    pub deny: Deny,
    /// Apply safe fixes in place, then report what is left.
    #[arg(long, conflicts_with = "diff")]
    pub fix: bool,
    /// Print the safe fixes as a unified diff instead of writing them.
    #[arg(long)]
    pub diff: bool,
    /// Read this config file instead of the nearest `.lexls.toml`.
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// Use no config file: default rule levels and the embedded lexicon only.
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
    /// When to colour the human format: `auto` colours a terminal unless `NO_COLOR` is set.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

/// The severity from which findings fail the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Deny {
    Warning,
    Error,
}

impl Deny {
    fn fails(self, s: Severity) -> bool {
        match self {
            Deny::Warning => s >= Severity::Warning,
            Deny::Error => s >= Severity::Error,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The rule's id.
    #[arg(required_unless_present = "list")]
    pub rule: Option<String>,
    /// List every rule with its default level.
    #[arg(long, conflicts_with = "rule")]
    pub list: bool,
}

/// What to do with safe fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    Check,
    Fix,
    Diff,
}

/// A file that was checked.
struct Linted {
    /// The path with `/` separators, as printed.
    shown: String,
    /// The text the findings refer to, as fixed with `--fix`, as read otherwise: UTF-8,
    /// checked when read (see [`Linter::file`]); [`Linted::text`] gives it as a `str`.
    bytes: Vec<u8>,
    findings: Vec<Finding>,
    /// Safe fixes applied (`--fix`) or that would be (`--diff`).
    fixed: usize,
    /// The unified diff of the fixes, with `--diff`.
    diff: Option<String>,
    /// Why fixes were not written, for stderr: printed with the file, in order, by the
    /// thread that prints (a worker writing it would break into the progress bar).
    notice: Option<String>,
}

impl Linted {
    fn text(&self) -> &str {
        simdutf8::basic::from_utf8(&self.bytes).expect("checked as UTF-8 when read")
    }
}

pub fn run(args: &Args, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    let loaded = load_config(args.config.as_deref(), args.no_config, &args.paths)?;
    let no_config = Config::default();
    let config = loaded.as_ref().unwrap_or(&no_config);
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    // The walk needs only the config: it runs beside the loading of the lexicon, on another
    // core, where it ran after it. Each takes a few milliseconds before the first file is
    // read (on 3,241 files), as long as a thread takes to lint half a megabyte.
    let ((files, walk_errors), engine) = rayon::join(
        || walk::collect(&paths, config),
        || super::engine_for(loaded.as_ref()),
    );
    let engine = engine.map_err(lexicon_errors)?;
    let mode = match (args.fix, args.diff) {
        (true, _) => Mode::Fix,
        (_, true) => Mode::Diff,
        _ => Mode::Check,
    };
    let linter = Linter {
        engine: &engine,
        config,
        mode,
        scope: walk::WriteScope::new(&paths),
    };
    let progress = Progress::new(files.len(), std::io::stderr().is_terminal());
    let mut printer = Printer {
        // With `--diff`, the diffs are the output.
        reporter: (mode != Mode::Diff)
            .then(|| report::reporter(args.format, Colors::new(use_color(args.color)))),
        deny: args.deny,
        progress: &progress,
        shares_terminal: progress.enabled() && std::io::stdout().is_terminal(),
        summary: Summary::default(),
        failing: false,
    };
    for e in &walk_errors {
        printer.error(e)?;
    }
    printer.begin(out)?;
    let window = WINDOW_PER_THREAD * rayon::current_num_threads();
    let check = |path: &PathBuf| {
        let outcome = linter.file(path);
        progress.tick();
        outcome
    };
    // A reporter may hold some of its output (JSON hands it over 64 KiB at a time): if the
    // run stops early, on an output error or a panic in a worker, what it holds is handed
    // over before the run ends, as far as the output takes it, as a `BufWriter` would.
    let run = std::panic::catch_unwind(AssertUnwindSafe(|| {
        ordered::for_each(&files, window, check, |outcome| match outcome {
            Ok(linted) => printer.file(out, linted),
            Err(e) => printer.error(e),
        })
    }));
    if !matches!(run, Ok(Ok(()))) {
        let _ = printer.flush(out);
    }
    match run {
        Ok(result) => result?,
        Err(panic) => std::panic::resume_unwind(panic),
    }
    progress.finish();
    printer.end(out)?;
    out.flush()?;
    Ok(match (printer.summary.failed > 0, printer.failing) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::from(1),
        (false, false) => ExitCode::SUCCESS,
    })
}

/// Prints each file as it comes, in order, and counts what the summary and the exit code
/// need: nothing of a file is kept once it is printed.
struct Printer<'a> {
    /// The format's reporter; `None` with `--diff`, which prints the diffs instead.
    reporter: Option<Box<dyn Reporter>>,
    deny: Deny,
    progress: &'a Progress,
    /// Whether the output goes to the terminal the progress bar is drawn on: then each
    /// file's lines are printed with the bar off the line, and flushed before it is drawn
    /// again.
    shares_terminal: bool,
    summary: Summary,
    /// Whether a finding reached the `--deny` level.
    failing: bool,
}

impl Printer<'_> {
    fn begin(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        match &mut self.reporter {
            Some(r) => r.begin(out),
            None => Ok(()),
        }
    }

    fn file(&mut self, out: &mut dyn Write, linted: &Linted) -> std::io::Result<()> {
        self.summary.files += 1;
        self.summary.fixed += linted.fixed;
        self.summary.fixed_files += usize::from(linted.fixed > 0);
        self.failing |= linted.findings.iter().any(|f| self.deny.fails(f.severity));
        if let Some(notice) = &linted.notice {
            self.progress
                .suspend(|| writeln!(std::io::stderr(), "lexls: {notice}"))?;
        }
        if !self.shares_terminal {
            return self.write(out, linted);
        }
        let progress = self.progress;
        progress.suspend(|| {
            self.write(out, linted)?;
            self.flush(out)?;
            out.flush()
        })
    }

    /// Hands what the reporter holds to `out`.
    fn flush(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        match &mut self.reporter {
            Some(r) => r.flush(out),
            None => Ok(()),
        }
    }

    fn write(&mut self, out: &mut dyn Write, linted: &Linted) -> std::io::Result<()> {
        match &mut self.reporter {
            Some(r) => r.file(
                out,
                &Checked {
                    path: &linted.shown,
                    text: linted.text(),
                    findings: &linted.findings,
                },
            ),
            None => out.write_all(linted.diff.as_deref().unwrap_or_default().as_bytes()),
        }
    }

    /// A path or file that could not be checked, on stderr.
    fn error(&mut self, message: &str) -> std::io::Result<()> {
        self.summary.failed += 1;
        self.progress
            .suspend(|| writeln!(std::io::stderr(), "lexls: {message}"))
    }

    /// The summary: the format's, or for `--diff` a line on stderr.
    fn end(&mut self, out: &mut dyn Write) -> std::io::Result<()> {
        let s = &self.summary;
        match &mut self.reporter {
            Some(r) => r.end(out, s),
            None => writeln!(
                std::io::stderr(),
                "Would fix {} in {} of {}.",
                count(s.fixed, "problem"),
                s.fixed_files,
                count(s.files, "file")
            ),
        }
    }
}

/// Colours for `choice`: `auto` means stdout is a terminal and `NO_COLOR` is unset or empty
/// (no-color.org); an explicit `always` or `never` wins.
fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && std::io::stdout().is_terminal()
        }
    }
}

fn count(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// Checks one file at a time; shared by the worker threads.
struct Linter<'a> {
    engine: &'a Engine,
    config: &'a Config,
    mode: Mode,
    /// Where `--fix` may write.
    scope: walk::WriteScope,
}

impl Linter<'_> {
    fn file(&self, path: &Path) -> Result<Linted, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
        // The memchr crate searches with the processor's vector instructions (the slice's own
        // `contains` eight bytes at a time took a hundredth of a run).
        if let Some(at) = memchr::memchr(0, &bytes) {
            return Err(format!(
                "{}: binary file (NUL byte at byte {at}); not checked",
                path.display()
            ));
        }
        // The rules read the path only for the config's `overrides` and `ignore`, whose
        // patterns are relative to its folder: only then is it made absolute (a sixth of the
        // work on a file of a few lines).
        let absolute: Cow<Path> = if self.config.reads_paths() {
            Cow::Owned(std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()))
        } else {
            Cow::Borrowed(path)
        };
        let shown = path.to_string_lossy().replace('\\', "/");
        if self.mode == Mode::Check {
            // The text is only read: checked as UTF-8 where it lies, with simdutf8 (the
            // standard library's check took a twentieth of a run, Vietnamese text defeating
            // its ASCII shortcut), and kept as bytes.
            let Ok(text) = simdutf8::basic::from_utf8(&bytes) else {
                return Err(super::decode_text(path, bytes).expect_err("not UTF-8"));
            };
            let findings = self.check(text, &absolute);
            return Ok(Linted {
                shown,
                bytes,
                findings,
                fixed: 0,
                diff: None,
                notice: None,
            });
        }
        let original = super::decode_text(path, bytes)?;
        let findings = self.check(&original, &absolute);
        let (fixed_text, fixed, after) = self.fix(original.clone(), findings.clone(), &absolute);
        if self.mode == Mode::Diff {
            let diff = (fixed > 0).then(|| unified_diff(&shown, &original, &fixed_text));
            return Ok(Linted {
                shown,
                bytes: original.into_bytes(),
                findings,
                fixed,
                diff,
                notice: None,
            });
        }
        if fixed > 0 {
            // Resolve symlinks once, and write the file they lead to only if it lies in
            // the linted tree; else report the findings of the file as it is.
            let target = std::fs::canonicalize(path)
                .with_context(|| format!("{}: cannot write the fixes", path.display()))
                .map_err(|e| format!("{e:#}"))?;
            if !self.scope.permits(&target) {
                return Ok(Linted {
                    shown,
                    bytes: original.into_bytes(),
                    findings,
                    fixed: 0,
                    diff: None,
                    notice: Some(format!(
                        "{}: not fixed: it leads to {}, outside the paths being linted",
                        path.display(),
                        target.display()
                    )),
                });
            }
            atomic::write(&target, fixed_text.as_bytes())
                .with_context(|| format!("{}: cannot write the fixes", path.display()))
                .map_err(|e| format!("{e:#}"))?;
        }
        Ok(Linted {
            shown,
            bytes: fixed_text.into_bytes(),
            findings: after,
            fixed,
            diff: None,
            notice: None,
        })
    }

    fn check(&self, text: &str, path: &Path) -> Vec<Finding> {
        let analysis = self.engine.analyze(text);
        rules::check(&rules::Context {
            engine: self.engine,
            text,
            analysis: &analysis,
            config: self.config,
            path: Some(path),
        })
    }

    /// Applies safe fixes until none is left: the fixed text, how many fixes were applied,
    /// and the findings of the fixed text. Only the fixed ranges change; every other byte
    /// (a BOM, CRLF line breaks) is kept.
    fn fix(
        &self,
        mut text: String,
        mut findings: Vec<Finding>,
        path: &Path,
    ) -> (String, usize, Vec<Finding>) {
        let mut applied = 0;
        for _ in 0..MAX_FIX_ROUNDS {
            let (next, n) = apply_safe_fixes(&text, &findings);
            if n == 0 || next == text {
                break;
            }
            applied += n;
            text = next;
            findings = self.check(&text, path);
        }
        (text, applied, findings)
    }
}

/// A unified diff with three lines of context, `--- path` / `+++ path`.
fn unified_diff(path: &str, old: &str, new: &str) -> String {
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(path, path)
        .to_string()
}

pub fn explain(args: &ExplainArgs, out: &mut dyn Write) -> anyhow::Result<ExitCode> {
    if args.list {
        let width = rules::RULES.iter().map(|r| r.id.len()).max().unwrap_or(0);
        for r in rules::RULES {
            writeln!(
                out,
                "{:<width$}  {:<7}  {}",
                r.id,
                r.default_level.as_str(),
                r.summary
            )?;
        }
        return Ok(ExitCode::SUCCESS);
    }
    let id = args.rule.as_deref().unwrap_or_default();
    let Some(r) = rules::info(id) else {
        let close: Vec<String> = rules::RULES
            .iter()
            .filter(|r| rules::prose::edit_distance(r.id, id) <= 3 || r.id.contains(id))
            .map(|r| format!("`{}`", r.id))
            .collect();
        let hint = if close.is_empty() {
            String::new()
        } else {
            format!("; did you mean {}?", close.join(" or "))
        };
        anyhow::bail!("no rule `{id}`{hint} (`lexls explain --list` lists them)");
    };
    writeln!(out, "# {}\n", r.id)?;
    writeln!(out, "{}.\n", capitalised(r.summary))?;
    writeln!(out, "Default level: {}\n", r.default_level.as_str())?;
    write!(out, "{}", r.explanation.trim_end())?;
    writeln!(
        out,
        "\n\nConfigure it in `.lexls.toml`:\n\n```toml\n[rules]\n{} = \"error\"  # or warning, info, hint, off\n```",
        r.id
    )?;
    Ok(ExitCode::SUCCESS)
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}
