//! `--fix` writes safe fixes atomically and touches no other byte; a second run changes
//! nothing. `--diff` shows the same fixes and writes nothing.

use lexls::normalize::inspect;

use crate::support::{article, findings_in, lexls_in, workspace};

/// `haystack` with every `from` replaced by `to`, as bytes.
fn replaced(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn fix_keeps_the_bom_and_crlf_and_is_idempotent() {
    let original = article("en_crlf_bom.txt");
    let ws = workspace(&[("a.txt", &original)]);
    let path = ws.path().join("a.txt");
    let run = lexls_in(ws.path(), &["lint", "--no-config", "--fix", "a.txt"]);
    assert_eq!(
        run.code, 1,
        "SOMTC is still used before it is spelled out: {run:?}"
    );
    let fixed = std::fs::read(&path).unwrap();
    assert_eq!(fixed, replaced(&original, b"ASEANPOL", b"ASEANAPOL"));
    assert!(fixed.starts_with(b"\xEF\xBB\xBF"));
    assert!(
        run.stdout.contains("Fixed 1 problem in 1 file."),
        "{}",
        run.stdout
    );
    // What is left is reported against the fixed text.
    assert!(!run.stdout.contains("known-misspelling"), "{}", run.stdout);

    let again = lexls_in(ws.path(), &["lint", "--no-config", "--fix", "a.txt"]);
    assert_eq!(std::fs::read(&path).unwrap(), fixed);
    assert!(!again.stdout.contains("Fixed"), "{}", again.stdout);
    let names: Vec<_> = std::fs::read_dir(ws.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "no temporary file is left behind");
}

#[test]
fn fix_normalises_decomposed_text_and_keeps_line_breaks() {
    let original = article("vi_decomposed_nfd.txt");
    let ws = workspace(&[("nfd.txt", &original), ("cr.txt", &article("lone_cr.txt"))]);
    let run = lexls_in(ws.path(), &["lint", "--no-config", "--fix", "."]);
    assert_eq!(run.code, 0, "{run:?}");
    let fixed = std::fs::read_to_string(ws.path().join("nfd.txt")).unwrap();
    let report = inspect(&fixed);
    assert!(report.decomposed.is_empty() && report.eth.is_empty());
    let count = |s: &[u8], b: u8| s.iter().filter(|&&c| c == b).count();
    assert_eq!(count(fixed.as_bytes(), b'\n'), count(&original, b'\n'));
    assert_eq!(
        std::fs::read(ws.path().join("cr.txt")).unwrap(),
        article("lone_cr.txt")
    );
    let (code, left) = findings_in(ws.path(), &["--no-config", "."]);
    assert_eq!((code, left.len()), (0, 0), "{left:#?}");
}

#[test]
fn diff_shows_the_fixes_and_writes_nothing() {
    let original = article("en_crlf_bom.txt");
    let ws = workspace(&[("a.txt", &original)]);
    let run = lexls_in(ws.path(), &["lint", "--no-config", "--diff", "a.txt"]);
    assert_eq!(std::fs::read(ws.path().join("a.txt")).unwrap(), original);
    assert_eq!(run.code, 1);
    assert!(
        run.stdout.starts_with("--- a.txt\n+++ a.txt\n@@ "),
        "{}",
        run.stdout
    );
    let removed: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("-") && !l.starts_with("---"))
        .collect();
    let added: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("+") && !l.starts_with("+++"))
        .collect();
    assert_eq!((removed.len(), added.len()), (1, 1), "{}", run.stdout);
    assert!(removed[0].contains("ASEANPOL,") && added[0].contains("ASEANAPOL,"));
    assert_eq!(run.stderr, "Would fix 1 problem in 1 of 1 file.\n");
}

#[test]
fn unsafe_fixes_are_not_applied() {
    let original = article("en_expansion_problems.txt");
    let ws = workspace(&[("a.txt", &original)]);
    let run = lexls_in(ws.path(), &["lint", "--no-config", "--fix", "a.txt"]);
    assert_eq!(run.code, 1);
    assert_eq!(std::fs::read(ws.path().join("a.txt")).unwrap(), original);
}
