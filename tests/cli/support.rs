//! Running the binary and comparing with golden files.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The crate's folder: commands run there so that paths in outputs are stable.
pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn articles() -> PathBuf {
    root().join("tests/fixtures/articles")
}

/// What a run printed and returned.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `lexls ARGS` in `dir`, without colours or a terminal.
pub fn lexls_in(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_lexls"))
        .args(args)
        .current_dir(dir)
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().expect("exited"),
        stdout: String::from_utf8(out.stdout).expect("UTF-8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("UTF-8 stderr"),
    }
}

/// Runs `lexls ARGS` in the crate's folder.
pub fn lexls(args: &[&str]) -> Run {
    lexls_in(root(), args)
}

/// Runs `lexls lint ARGS` in `dir` with `--format json` and returns the findings.
pub fn findings_in(dir: &Path, args: &[&str]) -> (i32, Vec<serde_json::Value>) {
    let mut all = vec!["lint", "--format", "json"];
    all.extend_from_slice(args);
    let run = lexls_in(dir, &all);
    let v: serde_json::Value = serde_json::from_str(&run.stdout)
        .unwrap_or_else(|e| panic!("JSON output ({e}):\n{}\n{}", run.stdout, run.stderr));
    (run.code, v.as_array().expect("an array").clone())
}

/// `(rule, line, severity)` of each finding.
pub fn summary(findings: &[serde_json::Value]) -> Vec<(String, u64, String)> {
    findings
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_owned(),
                f["line"].as_u64().unwrap_or_default(),
                f["severity"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect()
}

/// Compares `actual` with the golden file `tests/fixtures/lint/NAME`, or rewrites it when
/// `LEXLS_BLESS` is set.
pub fn golden(name: &str, actual: &str) {
    let path = root().join("tests/fixtures/lint").join(name);
    if std::env::var_os("LEXLS_BLESS").is_some() {
        std::fs::write(&path, actual).expect("golden written");
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "no golden {}: run `LEXLS_BLESS=1 cargo test --test cli`",
            path.display()
        )
    });
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
            .unified_diff()
            .header("golden", "actual")
            .to_string();
        panic!(
            "{} differs from the output (LEXLS_BLESS=1 rewrites it):\n{diff}",
            path.display()
        );
    }
}

/// A golden document: the command, its exit code, stderr and stdout.
pub fn transcript(args: &[&str], run: &Run) -> String {
    format!(
        "$ lexls {}\nexit: {}\n--- stderr\n{}--- stdout\n{}",
        args.join(" "),
        run.code,
        run.stderr,
        run.stdout
    )
}

/// A temporary folder with `files` written in it.
pub fn workspace(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary folder");
    for (name, contents) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().expect("a parent")).expect("folders");
        std::fs::write(p, contents).expect("file written");
    }
    dir
}

/// The bytes of a fixture article.
pub fn article(name: &str) -> Vec<u8> {
    std::fs::read(articles().join(name)).expect("fixture exists")
}
