//! A large lint input is handled within bounded memory (issue 8): `lexls lint` prints each
//! file as soon as it and the files before it are checked, and drops it, so the peak
//! resident size of a run over a folder does not grow with the folder; a single huge file
//! is held once, and checking it costs a small multiple of its size.
//!
//! Each test runs the real binary on generated articles and follows its peak resident size
//! (`VmHWM` in `/proc/PID/status`, read until the process exits), against a run on one
//! small article. The inputs are 20 MB by default, which the debug build lints in about
//! 20 s; `LEXLS_BOUNDED_MB=100 cargo test --release --test reliability bounded --
//! --nocapture` runs the 100 MB of the issue and prints the figures.

#![cfg(target_os = "linux")]

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::rng::Rng;

const BIN: &str = env!("CARGO_BIN_EXE_lexls");

/// The size of each input, in MB, unless `LEXLS_BOUNDED_MB` says otherwise.
const DEFAULT_MB: usize = 20;
/// Articles in a folder are about this long, as long articles are.
const ARTICLE_BYTES: usize = 50_000;
/// Threads for the runs: the window of files in flight is per thread.
const THREADS: &str = "2";

/// What a folder run may hold above the run on one small article, whatever the folder's
/// size: the window (4 files per thread) with their analyses, and the allocator's slack.
/// Keeping every text, as `lexls lint` did before, takes the folder's size at least (2.8
/// times it, with the findings).
const FOLDER_ALLOWANCE: u64 = 12 << 20;
/// What checking one file may hold, per byte of the file, above the run on one small
/// article: the text itself, the analysis (mentions, the normalised view where the text is
/// not NFC), the findings and the report's line index. The token list the
/// `unknown-acronym` rule kept for the whole text took 5 to 9 bytes per byte alone.
const FILE_ALLOWANCE_PER_BYTE: u64 = 3;

fn input_bytes() -> usize {
    std::env::var("LEXLS_BOUNDED_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_MB)
        * 1_000_000
}

// ---------------------------------------------------------------------------------------
// Articles

/// Sentences written for this test. `{n}` and `{year}` take numbers, `{city}` a city.
const ENGLISH: &[&str] = &[
    "Delegates from the ten ASEAN member states met in {city} to review their cooperation against transnational crime.",
    "The SOMTC working group agreed to exchange data on human trafficking and online fraud before the next AMMTC.",
    "Officers of ASEANAPOL and INTERPOL briefed the meeting on {n} joint operations carried out since {year}.",
    "Several speakers said that scams run from call centres now cost the region more than {n} million dollars a year.",
    "The chair thanked Việt Nam for hosting a training course for investigators in Hà Nội in {year}.",
    "Police from three neighbouring countries described a case in which {n} suspects were arrested on the same night.",
    "A draft work plan for {year} lists border patrols, witness protection and the recovery of stolen assets.",
    "Officials will report on the progress of the plan at the SOMTC meeting in {city}.",
];
const ENGLISH_LEAD: &str = "The ASEAN Ministerial Meeting on Transnational Crime (AMMTC) \
    and its Senior Officials Meeting on Transnational Crime (SOMTC) set the agenda of the \
    region's police cooperation.";
const VIETNAMESE: &[&str] = &[
    "Đại biểu các nước thành viên ASEAN đã thảo luận về hợp tác phòng, chống tội phạm xuyên quốc gia tại {city}.",
    "Hội nghị SOMTC lần này tập trung vào mua bán người, ma túy và lừa đảo trên mạng.",
    "Lực lượng cảnh sát trong khuôn khổ ASEANAPOL đã phối hợp với INTERPOL triệt phá {n} đường dây lừa đảo trực tuyến.",
    "Bộ Công an cam kết tiếp tục chia sẻ thông tin với các đối tác trong khu vực.",
    "Kết quả của hội nghị sẽ được báo cáo lên AMMTC vào cuối năm {year}.",
    "Theo số liệu được công bố, trong năm {year} có hơn {n} vụ án liên quan đến tiền ảo.",
    "Các đại biểu nhất trí tăng cường đào tạo điều tra viên và trao đổi chuyên gia giữa các nước.",
    "Phiên họp tiếp theo dự kiến diễn ra tại {city} với sự tham dự của {n} đoàn đại biểu.",
];
const VIETNAMESE_LEAD: &str = "Hội nghị Bộ trưởng ASEAN về tội phạm xuyên quốc gia (AMMTC) \
    và Hội nghị Quan chức cấp cao ASEAN về tội phạm xuyên quốc gia (SOMTC) định hướng hợp \
    tác cảnh sát trong khu vực.";
/// A known misspelling, now and then, so that the runs report and fix something.
const MISSPELT: &str =
    "A liaison officer said that requests sent through ASEANPOL were answered within {n} days.";
const CITIES: &[&str] = &[
    "Hà Nội",
    "Jakarta",
    "Manila",
    "Bangkok",
    "Kuala Lumpur",
    "Đà Nẵng",
];

/// An article of about `bytes` bytes, English or Vietnamese: a title, a lead that spells
/// out the acronyms, then paragraphs of three to six sentences.
fn article(rng: &mut Rng, bytes: usize) -> String {
    let english = rng.below(2) == 0;
    let (sentences, lead) = if english {
        (ENGLISH, ENGLISH_LEAD)
    } else {
        (VIETNAMESE, VIETNAMESE_LEAD)
    };
    let title = if english {
        "Police cooperation in the region"
    } else {
        "Hợp tác cảnh sát trong khu vực"
    };
    let mut text = format!("{title}\n\n{lead}\n\n");
    while text.len() < bytes {
        for _ in 0..3 + rng.below(4) {
            let template = if rng.below(100) == 0 {
                MISSPELT
            } else {
                rng.pick(sentences)
            };
            let sentence = template
                .replace("{n}", &(2 + rng.below(400)).to_string())
                .replace("{year}", &(2005 + rng.below(20)).to_string())
                .replace("{city}", rng.pick(CITIES));
            text.push_str(&sentence);
            text.push(' ');
        }
        text.pop();
        text.push_str("\n\n");
    }
    text
}

// ---------------------------------------------------------------------------------------
// Runs

/// What a run of the binary did.
struct Run {
    code: i32,
    /// Peak resident size, in bytes.
    peak: u64,
    elapsed: Duration,
    stdout: String,
}

/// The process's peak resident size so far, in bytes; `None` once it has exited.
fn vm_hwm(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let kib: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib * 1024)
}

/// Runs `lexls lint ARGS` in `dir` on two threads, stdout into a file, following its peak
/// resident size until it exits. The peak only grows, so the last reading is the run's
/// peak but for what its last moment adds: readings come every millisecond for the first
/// 100 ms, which is all a small run lasts in a release build, then every 5 ms.
fn lint(dir: &Path, args: &[&str]) -> Run {
    let out_path = dir.join("stdout.txt");
    let start = Instant::now();
    let mut child = Command::new(BIN)
        .arg("lint")
        .args(args)
        .current_dir(dir)
        .env("RAYON_NUM_THREADS", THREADS)
        .stdout(std::fs::File::create(&out_path).expect("stdout file"))
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the binary runs");
    let mut peak = 0;
    let status = loop {
        if let Some(hwm) = vm_hwm(child.id()) {
            peak = peak.max(hwm);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            start.elapsed() < Duration::from_secs(900),
            "lexls lint {args:?} still runs after 15 minutes"
        );
        let pause = if start.elapsed() < Duration::from_millis(100) {
            1
        } else {
            5
        };
        std::thread::sleep(Duration::from_millis(pause));
    };
    let elapsed = start.elapsed();
    Run {
        code: status.code().expect("exited"),
        peak,
        elapsed,
        stdout: std::fs::read_to_string(&out_path).expect("UTF-8 output"),
    }
}

/// The peak of a run on one small article: the binary, the lexicon and the threads. Such a
/// run is over in a few milliseconds, and a reading may come before the lexicon is built:
/// readings only ever fall short, so the baseline is the largest of three runs. (A short
/// baseline made the allowances smaller than they are meant to be.)
fn baseline(dir: &Path) -> u64 {
    let mut rng = Rng(1);
    std::fs::write(dir.join("small.txt"), article(&mut rng, 2_000)).unwrap();
    let peaks = (0..3).map(|_| {
        let run = lint(dir, &["--no-config", "small.txt"]);
        assert_eq!(run.code, 1, "the article has an unknown acronym");
        run.peak
    });
    let peak = peaks.max().expect("three runs");
    assert!(peak > 0, "no reading of the small run's resident size");
    peak
}

fn mb(bytes: u64) -> f64 {
    bytes as f64 / (1 << 20) as f64
}

/// A folder of 50 KB articles: the peak stays within a fixed allowance of the baseline,
/// however large the folder, with every file printed in order.
#[test]
fn a_large_folder_is_linted_within_a_fixed_allowance() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let base = baseline(dir.path());
    let mut rng = Rng(0xB0_0DED);
    let (mut total, mut expected) = (0, Vec::new());
    while total < input_bytes() {
        let i = expected.len();
        let name = format!("articles/{:02}/{i:05}.txt", i / 200);
        let text = article(&mut rng, ARTICLE_BYTES);
        total += text.len();
        let path = dir.path().join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
        expected.push(name);
    }
    let files = expected.len();
    // The human format: it needs each file's text for its excerpts.
    let run = lint(dir.path(), &["--no-config", "articles"]);
    println!(
        "folder: {files} files, {:.1} MB: peak {:.1} MiB ({:.1} MiB over one small article), {:.1} s",
        total as f64 / 1e6,
        mb(run.peak),
        mb(run.peak.saturating_sub(base)),
        run.elapsed.as_secs_f64()
    );
    assert_eq!(run.code, 1, "every article has an unknown acronym");
    // Every file reported (each has INTERPOL), once and in the walk's order.
    let mut reported: Vec<&str> = run
        .stdout
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("--> "))
        .filter_map(|l| l.split(':').next())
        .collect();
    reported.dedup();
    assert_eq!(reported, expected, "every file once, in order");
    let summary = run.stdout.lines().last().unwrap_or_default();
    assert!(
        summary.starts_with("Found ")
            && summary.contains(&format!(" in {files} of {files} files.")),
        "{summary}"
    );
    assert!(
        run.peak < base + FOLDER_ALLOWANCE,
        "peak {:.1} MiB on a {:.1} MB folder: more than {:.0} MiB over the {:.1} MiB of one article",
        mb(run.peak),
        total as f64 / 1e6,
        mb(FOLDER_ALLOWANCE),
        mb(base)
    );
}

/// One file as large as the folder: it is in memory once, and checking it holds a small
/// multiple of it.
#[test]
fn a_huge_file_is_held_once() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let base = baseline(dir.path());
    let mut rng = Rng(0xB16_F11E);
    let mut text = String::with_capacity(input_bytes() + ARTICLE_BYTES);
    while text.len() < input_bytes() {
        text.push_str(&article(&mut rng, ARTICLE_BYTES));
    }
    let size = text.len() as u64;
    std::fs::write(dir.path().join("huge.txt"), &text).unwrap();
    drop(text);
    // JSON: a single document, written as the findings come.
    let run = lint(dir.path(), &["--no-config", "--format", "json", "huge.txt"]);
    println!(
        "one file, {:.1} MB: peak {:.1} MiB ({:.2} bytes per byte over one small article), {:.1} s",
        size as f64 / 1e6,
        mb(run.peak),
        run.peak.saturating_sub(base) as f64 / size as f64,
        run.elapsed.as_secs_f64()
    );
    assert_eq!(run.code, 1);
    let findings: serde_json::Value = serde_json::from_str(&run.stdout).expect("JSON output");
    let findings = findings.as_array().expect("an array");
    let interpol = findings
        .iter()
        .filter(|f| f["rule"] == "unknown-acronym")
        .count();
    assert_eq!(interpol, 1, "the first use of INTERPOL, once");
    assert!(
        findings.iter().any(|f| f["rule"] == "known-misspelling"),
        "ASEANPOL is reported"
    );
    assert!(
        run.peak < base + FILE_ALLOWANCE_PER_BYTE * size,
        "peak {:.1} MiB on a {:.1} MB file: more than {FILE_ALLOWANCE_PER_BYTE} bytes per byte over the {:.1} MiB of one article",
        mb(run.peak),
        size as f64 / 1e6,
        mb(base)
    );
}
