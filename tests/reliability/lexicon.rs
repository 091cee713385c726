//! The lexicon loader on half-edited files: random mutations of the real lexicon files
//! (lines deleted, duplicated or swapped, bytes inserted, TOML fragments inserted, the file
//! cut short) never panic, and every error names a line and column inside the file.

use proptest::prelude::*;
use proptest::test_runner::TestRunner;

use lexls::lexicon::EMBEDDED_FILES;

use super::inputs;
use super::invariants::check_lexicon_bytes;

#[derive(Clone, Debug)]
enum Mutation {
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    InsertBytes(usize, Vec<u8>),
    InsertFragment(usize, &'static str),
    ReplaceByte(usize, u8),
    Truncate(usize),
}

/// Fragments that make TOML and lexicon errors of every kind.
const FRAGMENTS: &[&str] = &[
    "[",
    "]",
    "[[",
    "]]",
    "=",
    "\"",
    "'''",
    "\"\"\"",
    "{",
    "}",
    ",",
    "#",
    "\n",
    "\r\n",
    "\r",
    "[[organisation]]\n",
    "[[meeting]]\nid = \"x\"\n",
    "[[series]]\n",
    "id = ",
    "id = \"\"\n",
    "id = \"amic\"\n",
    "edition = -1\n",
    "edition = 4294967296\n",
    "date = \"2020-13-45\"\n",
    "date = \"0000-00-00\"\n",
    "series = \"amic\"\n",
    "series = \"nope\"\n",
    "acronyms = [\"\"]\n",
    "acronyms = [\" \"]\n",
    "name = { en = \"\" }\n",
    "name = {}\n",
    "aliases = [{ text = \"\" }]\n",
    "aliases = [{ text = \"x\", case = \"up\" }]\n",
    "roles = [{ title = {} }]\n",
    "parent = \"amic\"\n",
    "members = [\"amic\", \"amic\"]\n",
    "not-in = [\"\"]\n",
    "edition-aliases = [\"\"]\n",
    "number = \"\"\n",
    "unknown = 1\n",
    "online = \"yes\"\n",
    "\u{FEFF}",
    "\u{0301}",
    "😀",
    "\t",
    "\\u{0}",
    "\\",
    "\u{0000}",
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        3 => any::<usize>().prop_map(Mutation::DeleteLine),
        2 => any::<usize>().prop_map(Mutation::DuplicateLine),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        2 => (any::<usize>(), proptest::collection::vec(any::<u8>(), 1..6))
            .prop_map(|(a, b)| Mutation::InsertBytes(a, b)),
        4 => (any::<usize>(), proptest::sample::select(FRAGMENTS))
            .prop_map(|(a, f)| Mutation::InsertFragment(a, f)),
        1 => (any::<usize>(), any::<u8>()).prop_map(|(a, b)| Mutation::ReplaceByte(a, b)),
        1 => any::<usize>().prop_map(Mutation::Truncate),
    ]
}

fn mutate(bytes: &mut Vec<u8>, m: &Mutation) {
    let lines = |b: &Vec<u8>| -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, &c) in b.iter().enumerate() {
            if c == b'\n' {
                out.push((start, i + 1));
                start = i + 1;
            }
        }
        out.push((start, b.len()));
        out
    };
    let at = |seed: usize, len: usize| seed % (len + 1);
    match m {
        Mutation::DeleteLine(s) => {
            let ls = lines(bytes);
            let (a, b) = ls[s % ls.len()];
            bytes.drain(a..b);
        }
        Mutation::DuplicateLine(s) => {
            let ls = lines(bytes);
            let (a, b) = ls[s % ls.len()];
            let line = bytes[a..b].to_vec();
            bytes.splice(b..b, line);
        }
        Mutation::SwapLines(x, y) => {
            let ls = lines(bytes);
            let (mut p, mut q) = (ls[x % ls.len()], ls[y % ls.len()]);
            if p.0 > q.0 {
                std::mem::swap(&mut p, &mut q);
            }
            if p.1 <= q.0 {
                let first = bytes[p.0..p.1].to_vec();
                let second = bytes[q.0..q.1].to_vec();
                bytes.splice(q.0..q.1, first);
                bytes.splice(p.0..p.1, second);
            }
        }
        Mutation::InsertBytes(s, b) => {
            let i = at(*s, bytes.len());
            bytes.splice(i..i, b.iter().copied());
        }
        Mutation::InsertFragment(s, f) => {
            let i = at(*s, bytes.len());
            bytes.splice(i..i, f.bytes());
        }
        Mutation::ReplaceByte(s, b) => {
            if !bytes.is_empty() {
                let i = s % bytes.len();
                bytes[i] = *b;
            }
        }
        Mutation::Truncate(s) => {
            let i = at(*s, bytes.len());
            bytes.truncate(i);
        }
    }
}

/// A real lexicon file after one to seven mutations, as bytes.
pub fn mutated_lexicon() -> impl Strategy<Value = Vec<u8>> {
    let files = proptest::sample::select(EMBEDDED_FILES);
    let mutations = proptest::collection::vec(mutation(), 1..8);
    (files, mutations).prop_map(|((_, text), mutations)| {
        let mut bytes = text.as_bytes().to_vec();
        for m in &mutations {
            mutate(&mut bytes, m);
        }
        bytes
    })
}

#[test]
fn loader_survives_mutated_lexicons() {
    let mut runner = TestRunner::new(inputs::config(128));
    runner
        .run(&mutated_lexicon(), |bytes| {
            check_lexicon_bytes(&bytes);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn loader_survives_arbitrary_toml_pieces() {
    let mut runner = TestRunner::new(inputs::config(128));
    let pieces = proptest::collection::vec(proptest::sample::select(FRAGMENTS), 0..30);
    runner
        .run(&pieces, |pieces| {
            check_lexicon_bytes(pieces.concat().as_bytes());
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Every real lexicon file loads alone without error positions outside it (the checks
/// themselves are sane on valid input).
#[test]
fn embedded_files_pass_the_checks() {
    for (_, text) in EMBEDDED_FILES {
        check_lexicon_bytes(text.as_bytes());
    }
}
