//! The benchmarks' text: the team's own fixture articles (tests/fixtures/articles), NFC,
//! varied (numbers changed) and repeated to the wanted size. No seed article is used.

use unicode_normalization::UnicodeNormalization;

/// A small deterministic PRNG (xorshift64*), so every run measures the same corpus.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// The fixture articles that are valid UTF-8 and longer than 200 bytes, NFC, in name order.
pub fn fixture_articles() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/articles");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("fixture articles")
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .filter_map(|p| String::from_utf8(std::fs::read(p).ok()?).ok())
        .map(|t| t.nfc().collect::<String>())
        .filter(|t| t.len() > 200)
        .collect()
}

/// Articles varied by their numbers, about `bytes` in all; `seed` picks the variation.
pub fn corpus_seeded(bytes: usize, seed: u64) -> Vec<String> {
    let base = fixture_articles();
    let mut rng = Rng(seed);
    let mut out = Vec::new();
    let mut total = 0;
    while total < bytes {
        let a = &base[rng.below(base.len() as u64) as usize];
        let varied: String = a
            .chars()
            .map(|c| {
                if c.is_ascii_digit() && rng.below(4) == 0 {
                    char::from(b'0' + rng.below(10) as u8)
                } else {
                    c
                }
            })
            .collect();
        total += varied.len();
        out.push(varied);
    }
    out
}

/// Articles varied by their numbers, about `bytes` in all.
#[allow(dead_code)] // not every benchmark uses every helper
pub fn corpus(bytes: usize) -> Vec<String> {
    corpus_seeded(bytes, 0x5EED)
}

/// One document of about `bytes` bytes (not more): articles separated by blank lines.
#[allow(dead_code)]
pub fn document(bytes: usize, seed: u64) -> String {
    let joined = corpus_seeded(bytes, seed).join("\n\n");
    let mut end = bytes.min(joined.len());
    while !joined.is_char_boundary(end) {
        end -= 1;
    }
    joined[..end].to_owned()
}
