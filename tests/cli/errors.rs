//! Exit codes and inputs that cannot be checked: 0 clean, 1 findings at the `--deny` level,
//! 2 when a file, the config or the lexicon cannot be used. An error on one file never stops
//! the others, and each error names its file.

use crate::support::{article, lexls, lexls_in, workspace};

#[test]
fn clean_articles_exit_0() {
    let run = lexls(&[
        "lint",
        "--no-config",
        "tests/fixtures/articles/en_clean.txt",
        "tests/fixtures/articles/vi_clean.txt",
        "tests/fixtures/articles/empty.txt",
    ]);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{}", run.stdout);
    assert_eq!(run.stdout, "No problems found in 3 files.\n");
}

#[test]
fn warnings_exit_1_unless_only_errors_are_denied() {
    let file = "tests/fixtures/articles/vi_macosa_meeting.txt";
    assert_eq!(lexls(&["lint", "--no-config", file]).code, 1);
    assert_eq!(
        lexls(&["lint", "--no-config", "--deny", "warning", file]).code,
        1
    );
    assert_eq!(
        lexls(&["lint", "--no-config", "--deny", "error", file]).code,
        0
    );
    // This one states a wrong date: an error.
    let file = "tests/fixtures/articles/en_expansion_problems.txt";
    assert_eq!(
        lexls(&["lint", "--no-config", "--deny", "error", file]).code,
        1
    );
}

#[test]
fn invalid_utf8_is_reported_with_its_byte_offset_and_the_run_goes_on() {
    let run = lexls(&[
        "lint",
        "--no-config",
        "tests/fixtures/articles/invalid_utf8.txt",
        "tests/fixtures/articles/vi_macosa_meeting.txt",
    ]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "lexls: tests/fixtures/articles/invalid_utf8.txt: invalid UTF-8 at byte 193\n"
    );
    assert!(
        run.stdout.contains("vi_macosa_meeting.txt:7:"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("1 file could not be checked"),
        "{}",
        run.stdout
    );
}

#[test]
fn binary_and_missing_files_are_errors_that_name_the_file() {
    let mut binary = b"AMIX\0\x01\x02".to_vec();
    binary.extend_from_slice(&[0xFF; 8]);
    let ws = workspace(&[
        ("data.txt", &binary),
        ("ok.txt", &article("en_expansion_problems.txt")),
        ("empty.txt", b""),
    ]);
    let run = lexls_in(ws.path(), &["lint", "--no-config", ".", "gone.txt"]);
    assert_eq!(run.code, 2, "{run:?}");
    let lines: Vec<&str> = run.stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stderr);
    assert!(lines[0].starts_with("lexls: gone.txt: "), "{}", lines[0]);
    assert_eq!(
        lines[1],
        "lexls: data.txt: binary file (NUL byte at byte 4); not checked"
    );
    assert!(run.stdout.contains("--> ok.txt:"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains("in 1 of 2 files; 2 files could not be checked."),
        "{}",
        run.stdout
    );
}

#[test]
fn a_broken_config_names_its_place_and_exits_2() {
    let ws = workspace(&[
        (".lexls.toml", b"[rules]\nunknown-acronym = \"loud\"\n"),
        ("a.txt", b"AMIC"),
    ]);
    let run = lexls_in(ws.path(), &["lint", "a.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.starts_with("lexls: "), "{}", run.stderr);
    assert!(run.stderr.contains(".lexls.toml:2:19:"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
}

#[test]
fn a_broken_lexicon_names_its_place_and_exits_2() {
    let ws = workspace(&[
        (".lexls.toml", b"lexicon = [\"extra.toml\"]\n"),
        (
            "extra.toml",
            b"[[organisation]]\nid = \"x\"\nname = { en = \"X\" }\ncolour = 1\n",
        ),
        ("a.txt", b"AMIC"),
    ]);
    let run = lexls_in(ws.path(), &["lint", "a.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("extra.toml:4:1:"), "{}", run.stderr);
}
