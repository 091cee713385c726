//! `lexls lint --fix` interrupted at any moment leaves every file byte for byte as it was or
//! fully fixed, never a mix, and a second run finishes the job (issue 8).
//!
//! Two ways to interrupt the real binary:
//! - the test-only failpoints of `src/cli/lint/atomic.rs` abort the process at each step of
//!   writing a file (temporary file created, written, synced, about to be renamed, renamed);
//! - a kill loop sends `SIGKILL` after deterministic, increasing delays with jitter, spread
//!   over the length of a full run.
//!
//! The expected fixed version of each article comes from running `--fix` to completion on a
//! copy. Temporary files left by an interrupted run (`.lexls-fix-*`) are never linted (their
//! names are hidden) and never removed by a later run (another run may own them); the tests
//! check both.

#![cfg(unix)]

use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use super::rng::Rng;

const BIN: &str = env!("CARGO_BIN_EXE_lexls");
const LEFTOVER_PREFIX: &str = ".lexls-fix-";
const SIGABRT: i32 = 6;
const SIGKILL: i32 = 9;

/// The steps of `atomic::write` at which a failpoint aborts, in order.
const STEPS: [&str; 5] = [
    "fix-after-create",
    "fix-after-write",
    "fix-after-sync",
    "fix-before-rename",
    "fix-after-rename",
];

// ---------------------------------------------------------------------------------------
// Articles

/// The kinds of article: each but the last has safe fixes of its own sort.
const KINDS: usize = 6;

/// Article `i` of a corpus: `paragraphs` paragraphs of the kind `i % KINDS`, with numbers
/// from `rng`. Written for these tests.
fn article(i: usize, paragraphs: usize, rng: &mut Rng) -> (String, Vec<u8>) {
    let mut text = String::new();
    for _ in 0..paragraphs {
        let (day, n) = (1 + rng.below(28), 2 + rng.below(40));
        let p = match i % KINDS {
            // A known misspelling, LF.
            0 => format!(
                "Harbour police from several member states met on {day} March to compare \
                 smuggling routes. Delegates said the ASEANPOL working group would publish \
                 a summary within {n} weeks.\n\n"
            ),
            // The same, CRLF with a BOM (added below).
            1 => format!(
                "Customs officers reported {n} seizures along the coast.\r\nThe ASEANPOL \
                 liaison desk will review them on {day} April.\r\n\r\n"
            ),
            // Decomposed (NFD) Vietnamese.
            2 => format!(
                "Đoàn công tác của Bộ Quốc phòng làm việc tại Hà Nội ngày {day} tháng 5. \
                 Các đại biểu trao đổi {n} đề xuất về an ninh biển.\n\n"
            )
            .nfd()
            .collect(),
            // `Ð` (U+00D0, Icelandic eth) for `Đ`.
            3 => format!(
                "\u{D0}oàn đại biểu đến Đà Nẵng lúc {day} giờ. \u{D0}ại diện nhóm công tác \
                 nêu {n} kiến nghị.\n\n"
            ),
            // Both tone-mark placements in one article.
            4 => format!(
                "Hội thảo ở Khánh Hòa bàn về hoà giải nghề cá. Có {n} tàu thuỷ tham gia \
                 diễn tập ngày {day}.\n\n"
            ),
            // Nothing to fix.
            _ => format!(
                "A quiet day in the newsroom: {n} letters arrived and were answered by the \
                 {day}th.\n\n"
            ),
        };
        text.push_str(&p);
    }
    let mut bytes = text.into_bytes();
    if i % KINDS == 1 {
        bytes.splice(0..0, *b"\xEF\xBB\xBF");
    }
    (format!("article-{i:03}.txt"), bytes)
}

fn corpus(files: usize, paragraphs: usize, seed: u64) -> Vec<(String, Vec<u8>)> {
    let mut rng = Rng(seed);
    (0..files)
        .map(|i| article(i, paragraphs, &mut rng))
        .collect()
}

// ---------------------------------------------------------------------------------------
// Running the binary

/// A scratch folder: `articles/` (what is linted, canonical path) and `lint.toml` beside
/// it. The config includes every name (`*`), so that a leftover temporary file would be
/// linted if the walker did not skip hidden names. Runs start in the scratch folder, so
/// a core file could not land among the articles.
struct Scratch {
    _dir: tempfile::TempDir,
    root: PathBuf,
    articles: PathBuf,
    config: PathBuf,
}

impl Scratch {
    fn new(files: &[(String, Vec<u8>)]) -> Scratch {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = std::fs::canonicalize(dir.path()).expect("canonical");
        let articles = root.join("articles");
        std::fs::create_dir(&articles).unwrap();
        for (name, bytes) in files {
            std::fs::write(articles.join(name), bytes).unwrap();
        }
        let config = root.join("lint.toml");
        std::fs::write(&config, "include = [\"*\"]\n").unwrap();
        Scratch {
            _dir: dir,
            root,
            articles,
            config,
        }
    }

    /// `lexls lint --fix --format json` on `articles/`, with no failpoint armed.
    fn fix_command(&self) -> Command {
        let mut c = Command::new(BIN);
        c.args(["lint", "--format", "json", "--fix", "--config"])
            .arg(&self.config)
            .arg(&self.articles)
            .current_dir(&self.root)
            .env_remove("LEXLS_FAILPOINT")
            .env_remove("LEXLS_TEST_HOOKS")
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        c
    }

    /// Runs `--fix` to completion; returns the exit code and the findings, paths relative
    /// to `articles/`.
    fn fix_to_completion(&self) -> (i32, Vec<Value>) {
        let out = self.fix_command().output().expect("lexls runs");
        let code = out
            .status
            .code()
            .unwrap_or_else(|| panic!("{}", show(&out)));
        assert!(code <= 1, "lint --fix failed: {}", show(&out));
        let mut findings: Vec<Value> = serde_json::from_slice::<Value>(&out.stdout)
            .unwrap_or_else(|e| panic!("JSON output ({e}): {}", show(&out)))
            .as_array()
            .expect("an array")
            .clone();
        let prefix = format!("{}/", self.articles.display());
        for f in &mut findings {
            let path = f["path"].as_str().expect("a path").to_owned();
            let rel = path.strip_prefix(&prefix).unwrap_or(&path).to_owned();
            f["path"] = Value::String(rel);
        }
        (code, findings)
    }

    fn read(&self, name: &str) -> Vec<u8> {
        std::fs::read(self.articles.join(name)).expect("the article is still there")
    }

    /// The names of the temporary files left in `articles/`, sorted.
    fn leftovers(&self) -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&self.articles)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with(LEFTOVER_PREFIX))
            .collect();
        names.sort();
        names
    }

    /// The leftovers with their contents.
    fn leftover_contents(&self) -> Vec<(String, Vec<u8>)> {
        self.leftovers()
            .into_iter()
            .map(|n| {
                let bytes = std::fs::read(self.articles.join(&n)).unwrap();
                (n, bytes)
            })
            .collect()
    }
}

fn show(out: &Output) -> String {
    format!(
        "status {:?}\nstdout:\n{}\nstderr:\n{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The corpus fixed by a complete run on a copy, with that run's exit code and findings.
struct Expected {
    originals: Vec<(String, Vec<u8>)>,
    fixed: Vec<Vec<u8>>,
    code: i32,
    findings: Vec<Value>,
    /// How long the complete run took (to spread the kill delays over).
    took: Duration,
}

impl Expected {
    fn of(originals: Vec<(String, Vec<u8>)>) -> Expected {
        let scratch = Scratch::new(&originals);
        let start = Instant::now();
        let (code, findings) = scratch.fix_to_completion();
        let took = start.elapsed();
        let fixed: Vec<Vec<u8>> = originals.iter().map(|(n, _)| scratch.read(n)).collect();
        assert!(
            scratch.leftovers().is_empty(),
            "a complete run leaves nothing"
        );
        // The corpus must give the fixer work, or the tests below would prove nothing:
        // every kind but the clean one changes.
        for (i, ((name, old), new)) in originals.iter().zip(&fixed).enumerate() {
            assert_eq!(old != new, i % KINDS != KINDS - 1, "{name} fixed?");
        }
        Expected {
            originals,
            fixed,
            code,
            findings,
            took,
        }
    }

    fn fixable(&self) -> usize {
        self.originals
            .iter()
            .zip(&self.fixed)
            .filter(|((_, o), f)| o != *f)
            .count()
    }

    /// Checks that every article in `scratch` is its original or its fixed version, and
    /// that nothing but articles and leftovers is there. Returns how many are fixed.
    fn check_old_or_new(&self, scratch: &Scratch, when: &str) -> usize {
        let mut new = 0;
        for ((name, old), fixed) in self.originals.iter().zip(&self.fixed) {
            let now = scratch.read(name);
            if now == *fixed {
                new += usize::from(old != fixed);
            } else {
                assert!(
                    now == *old,
                    "{when}: {name} is neither the original nor the fixed version:\n{}",
                    String::from_utf8_lossy(&now)
                );
            }
        }
        let others: Vec<String> = std::fs::read_dir(&scratch.articles)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| {
                !n.starts_with(LEFTOVER_PREFIX) && !self.originals.iter().any(|(o, _)| o == n)
            })
            .collect();
        assert!(others.is_empty(), "{when}: unexpected files {others:?}");
        new
    }

    /// Every leftover holds the start of some article's fixed version (an interrupted
    /// write), or all of it.
    fn check_leftovers(&self, scratch: &Scratch, when: &str) {
        for name in scratch.leftovers() {
            let bytes = std::fs::read(scratch.articles.join(&name)).unwrap();
            assert!(
                self.fixed.iter().any(|f| f.starts_with(&bytes)),
                "{when}: {name} holds bytes that are no fixed article's"
            );
        }
    }

    fn fixed_of(&self, path: &Path) -> (&[u8], &[u8]) {
        let name = path.file_name().unwrap().to_string_lossy();
        let i = self
            .originals
            .iter()
            .position(|(n, _)| *n == name)
            .unwrap_or_else(|| panic!("{} is no article", path.display()));
        (&self.originals[i].1, &self.fixed[i])
    }
}

// ---------------------------------------------------------------------------------------
// Failpoints

/// At each step of writing a file, the process aborts: it died by `SIGABRT`; every article
/// is its original or its fixed version; the file being written is still the original
/// before the rename and the fixed version after it; the temporary file holds nothing, or
/// the whole fixed text once written. A second run leaves exactly the fixed corpus and the
/// same findings as an uninterrupted run, does not lint or remove the leftovers, and a
/// planted `.lexls-fix-*` file with a misspelling is neither reported nor fixed.
#[test]
fn a_fix_aborted_at_each_step_leaves_old_or_new_files() {
    let expected = Expected::of(corpus(8, 2, 8));
    for step in STEPS {
        let scratch = Scratch::new(&expected.originals);
        let out = scratch
            .fix_command()
            .env("LEXLS_TEST_HOOKS", "1")
            .env("LEXLS_FAILPOINT", step)
            .output()
            .expect("lexls runs");
        assert_eq!(
            out.status.signal(),
            Some(SIGABRT),
            "{step}: the process aborts: {}",
            show(&out)
        );
        // The failing thread names its file, in one whole line: a second thread reaching
        // the step waits for the end of the process instead of printing.
        let stderr = String::from_utf8_lossy(&out.stderr);
        let hits: Vec<PathBuf> = stderr
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("lexls: failpoint {step}: ")))
            .map(PathBuf::from)
            .collect();
        assert_eq!(hits.len(), 1, "{step}: one failpoint line: {}", show(&out));
        assert!(
            stderr.ends_with('\n'),
            "{step}: the failpoint line is whole: {}",
            show(&out)
        );
        let hit = &hits[0];

        let new = expected.check_old_or_new(&scratch, step);
        let after_rename = step == "fix-after-rename";
        let (old, fixed) = expected.fixed_of(hit);
        let want = if after_rename { fixed } else { old };
        assert!(
            std::fs::read(hit).unwrap() == want,
            "{step}: {} is not the expected version",
            hit.display()
        );
        expected.check_leftovers(&scratch, step);
        let leftovers = scratch.leftovers();
        if !after_rename {
            assert!(!leftovers.is_empty(), "{step}: the temporary file stays");
            let contents = scratch.leftover_contents();
            let want: &[u8] = if step == "fix-after-create" {
                b""
            } else {
                fixed
            };
            assert!(
                contents.iter().any(|(_, c)| c == want),
                "{step}: no temporary file holds what was written so far"
            );
        }

        // A planted leftover that, if it were linted, would be reported and fixed.
        let planted = scratch.articles.join(format!("{LEFTOVER_PREFIX}planted"));
        let planted_text = &expected.originals[0].1;
        std::fs::write(&planted, planted_text).unwrap();
        let before = scratch.leftover_contents();

        let (code, findings) = scratch.fix_to_completion();
        assert_eq!(code, expected.code, "{step}: the rerun's exit code");
        assert_eq!(
            findings, expected.findings,
            "{step}: the rerun reports what an uninterrupted run reports"
        );
        for ((name, _), fixed) in expected.originals.iter().zip(&expected.fixed) {
            assert!(
                scratch.read(name) == *fixed,
                "{step}: {name} after the rerun"
            );
        }
        let after = scratch.leftover_contents();
        assert_eq!(after, before, "{step}: leftovers are left alone");
        eprintln!(
            "fix_interrupt: {step}: aborted at {}, {new} of {} fixable files already new, \
             {} leftover(s); the rerun completed",
            hit.file_name().unwrap().to_string_lossy(),
            expected.fixable(),
            leftovers.len()
        );
    }
}

/// Every rename fails (`EIO`, injected by `strace`): the run ends with exit code 2 and names
/// each file it could not fix, every article is its original, and no temporary file is
/// left (an error, unlike a kill, lets the temporary file be removed).
#[test]
fn a_failed_rename_keeps_the_originals_and_removes_the_temporary_files() {
    let Some(_) = super::security::Strace::find(
        "a_failed_rename_keeps_the_originals_and_removes_the_temporary_files",
    ) else {
        return;
    };
    let expected = Expected::of(corpus(8, 2, 8));
    let scratch = Scratch::new(&expected.originals);
    let lexls = scratch.fix_command();
    let renames = "?rename,renameat,?renameat2";
    let out = Command::new("strace")
        .args(["-f", "-qq", "-o", "/dev/null", "-e"])
        .arg(format!("trace={renames}"))
        .arg("-e")
        .arg(format!("inject={renames}:error=EIO"))
        .arg(lexls.get_program())
        .args(lexls.get_args())
        .current_dir(&scratch.root)
        .env_remove("LEXLS_FAILPOINT")
        .env_remove("LEXLS_TEST_HOOKS")
        .output()
        .expect("strace runs");
    assert_eq!(out.status.code(), Some(2), "{}", show(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for ((name, old), fixed) in expected.originals.iter().zip(&expected.fixed) {
        assert!(scratch.read(name) == *old, "{name} changed");
        let named = stderr
            .lines()
            .any(|l| l.contains(name.as_str()) && l.contains("cannot write the fixes"));
        assert_eq!(named, old != fixed, "{name} in stderr:\n{stderr}");
    }
    assert_eq!(scratch.leftovers(), Vec::<String>::new());
    eprintln!(
        "fix_interrupt: renames failing with EIO: exit 2, {} files named, all originals kept, \
         no temporary file left",
        expected.fixable()
    );
}

// ---------------------------------------------------------------------------------------
// Kill loop

/// How a killed run ended, for the figures.
#[derive(Default)]
struct Tally {
    killed: usize,
    /// Killed with some but not all fixable files written.
    mid_run: usize,
    /// Killed before writing anything.
    before_writes: usize,
    /// Killed after every file was written (the run was finishing).
    after_writes: usize,
    /// The run had finished before the kill.
    finished: usize,
    leftovers: usize,
    reruns: usize,
}

/// `SIGKILL` (`Child::kill`) at 30 moments (`LEXLS_FIX_KILLS` for more) during runs on 200
/// articles, aimed at the phase where files are written. After every kill, each article is
/// its original or its fixed version, and every leftover holds the start of a fixed
/// article. Every fifth iteration, if the run was killed, a second run must finish the job
/// with exactly the fixed corpus and the findings of an uninterrupted run. At least one
/// kill must land while files are being written, or the loop would test nothing.
#[test]
fn a_fix_killed_at_random_moments_leaves_old_or_new_files() {
    const FILES: usize = 200;
    let kills: usize = std::env::var("LEXLS_FIX_KILLS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let expected = Expected::of(corpus(FILES, 12, 200));
    // Each delay is drawn (from a fixed seed) in a window that starts as 0 to 1.2 times a
    // full run and narrows towards the writing phase: a kill before any write raises its
    // start, a run that finished first lowers its end. Each move goes only part of the way,
    // so one slow or fast run cannot close the window.
    let full = expected.took.as_secs_f64();
    let (mut lo, mut hi) = (0.0, 1.2 * full);
    let mut rng = Rng(0x6c65_786c_7338);
    let mut tally = Tally::default();
    for k in 0..kills {
        let delay = lo + (hi - lo) * rng.unit();
        let scratch = Scratch::new(&expected.originals);
        let mut child = scratch
            .fix_command()
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("lexls starts");
        std::thread::sleep(Duration::from_secs_f64(delay));
        child.kill().expect("kill");
        let status = child.wait().expect("wait");
        let when = format!("kill {k} after {delay:.3} s");
        let new = expected.check_old_or_new(&scratch, &when);
        expected.check_leftovers(&scratch, &when);
        tally.leftovers += scratch.leftovers().len();
        match status.signal() {
            Some(SIGKILL) => {
                tally.killed += 1;
                match new {
                    0 => {
                        tally.before_writes += 1;
                        lo = lo.max(0.8 * delay).min(hi - 0.05 * full);
                    }
                    n if n == expected.fixable() => tally.after_writes += 1,
                    _ => tally.mid_run += 1,
                }
            }
            None => {
                assert!(status.code().is_some_and(|c| c <= 1), "{when}: {status:?}");
                assert_eq!(new, expected.fixable(), "{when}: a finished run fixed all");
                tally.finished += 1;
                hi = hi.min(1.25 * delay).max(lo + 0.05 * full);
            }
            Some(other) => panic!("{when}: the process died by signal {other}"),
        }
        if k % 5 == 4 && status.signal().is_some() {
            let (code, findings) = scratch.fix_to_completion();
            assert_eq!(
                (code, &findings),
                (expected.code, &expected.findings),
                "{when}: rerun"
            );
            assert_eq!(
                expected.check_old_or_new(&scratch, &when),
                expected.fixable()
            );
            tally.reruns += 1;
        }
    }
    eprintln!(
        "fix_interrupt: {FILES} articles ({} fixable), a full run {:.0} ms; {kills} kills: \
         {} killed ({} mid-run, {} before any write, {} after all writes), {} finished \
         first; {} leftover temporary files; {} reruns completed",
        expected.fixable(),
        full * 1000.0,
        tally.killed,
        tally.mid_run,
        tally.before_writes,
        tally.after_writes,
        tally.finished,
        tally.leftovers,
        tally.reruns
    );
    assert!(
        tally.mid_run > 0,
        "no kill landed while files were being written; the delays do not cover the run"
    );
}
