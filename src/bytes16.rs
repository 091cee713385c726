//! Sixteen bytes at a time: the few vector operations the scans over text need (compare,
//! combine, and take one bit a byte), where eight bytes in a `u64` took several steps for
//! each answer.
//!
//! On x86-64 they are SSE2 instructions, which every x86-64 processor has (the target
//! enables `sse2` in every build, so no detection at run time is needed); elsewhere a plain
//! loop over the bytes gives the same answers. A lane of a [`Lanes`] that answers a test is
//! `0xFF` where it holds and `0x00` where not.

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
mod sse2 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_max_epu8, _mm_min_epu8, _mm_movemask_epi8,
        _mm_or_si128, _mm_set1_epi8, _mm_sub_epi8,
    };

    /// Sixteen bytes in a vector register.
    #[derive(Clone, Copy)]
    pub struct Lanes(__m128i);

    // SAFETY, for every `unsafe` block below: each calls an SSE2 intrinsic, and this module
    // is compiled only when the target has SSE2 (`target_feature = "sse2"`, part of
    // x86-64's baseline). The one load reads 16 bytes from a reference to 16 bytes, which
    // need no alignment (`loadu`).
    impl Lanes {
        #[inline(always)]
        pub fn load(bytes: &[u8; 16]) -> Lanes {
            Lanes(unsafe { _mm_loadu_si128(bytes.as_ptr().cast()) })
        }

        #[inline(always)]
        pub fn splat(b: u8) -> Lanes {
            Lanes(unsafe { _mm_set1_epi8(b as i8) })
        }

        #[inline(always)]
        pub fn eq(self, other: Lanes) -> Lanes {
            Lanes(unsafe { _mm_cmpeq_epi8(self.0, other.0) })
        }

        /// Each byte minus `other`'s, wrapping.
        #[inline(always)]
        pub fn sub(self, other: Lanes) -> Lanes {
            Lanes(unsafe { _mm_sub_epi8(self.0, other.0) })
        }

        /// Each byte's unsigned minimum with `other`'s.
        #[inline(always)]
        pub fn min(self, other: Lanes) -> Lanes {
            Lanes(unsafe { _mm_min_epu8(self.0, other.0) })
        }

        /// Each byte's unsigned maximum with `other`'s.
        #[inline(always)]
        pub fn max(self, other: Lanes) -> Lanes {
            Lanes(unsafe { _mm_max_epu8(self.0, other.0) })
        }

        #[inline(always)]
        pub fn or(self, other: Lanes) -> Lanes {
            Lanes(unsafe { _mm_or_si128(self.0, other.0) })
        }

        /// The high bit of each byte, byte `k`'s as bit `k`.
        #[inline(always)]
        pub fn high_bits(self) -> u16 {
            (unsafe { _mm_movemask_epi8(self.0) }) as u16
        }
    }
}

/// Compiled in tests everywhere, to be checked against the SSE2 module (a link to it would
/// break where that module is not compiled).
#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
mod portable {
    /// Sixteen bytes, a byte at a time.
    #[derive(Clone, Copy)]
    pub struct Lanes([u8; 16]);

    impl Lanes {
        #[inline(always)]
        fn zip(self, other: Lanes, f: impl Fn(u8, u8) -> u8) -> Lanes {
            Lanes(std::array::from_fn(|k| f(self.0[k], other.0[k])))
        }

        #[inline(always)]
        pub fn load(bytes: &[u8; 16]) -> Lanes {
            Lanes(*bytes)
        }

        #[inline(always)]
        pub fn splat(b: u8) -> Lanes {
            Lanes([b; 16])
        }

        #[inline(always)]
        pub fn eq(self, other: Lanes) -> Lanes {
            self.zip(other, |a, b| if a == b { 0xFF } else { 0 })
        }

        #[inline(always)]
        pub fn sub(self, other: Lanes) -> Lanes {
            self.zip(other, u8::wrapping_sub)
        }

        #[inline(always)]
        pub fn min(self, other: Lanes) -> Lanes {
            self.zip(other, u8::min)
        }

        #[inline(always)]
        pub fn max(self, other: Lanes) -> Lanes {
            self.zip(other, u8::max)
        }

        #[inline(always)]
        pub fn or(self, other: Lanes) -> Lanes {
            self.zip(other, |a, b| a | b)
        }

        #[inline(always)]
        pub fn high_bits(self) -> u16 {
            self.0
                .iter()
                .enumerate()
                .fold(0, |m, (k, &b)| m | u16::from(b >> 7) << k)
        }
    }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
pub(crate) use sse2::Lanes;

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
pub(crate) use portable::Lanes;

/// The range tests made of the operations, the same for each implementation.
macro_rules! derived {
    ($lanes:ty) => {
        impl $lanes {
            /// The bytes from `lo` to `hi`, both included (unsigned).
            #[inline(always)]
            pub fn in_range(self, lo: u8, hi: u8) -> Self {
                let off = self.sub(Self::splat(lo));
                off.min(Self::splat(hi - lo)).eq(off)
            }

            /// The bytes at least `lo` (unsigned).
            #[inline(always)]
            pub fn at_least(self, lo: u8) -> Self {
                self.max(Self::splat(lo)).eq(self)
            }
        }
    };
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
derived!(sse2::Lanes);

#[cfg(any(test, not(all(target_arch = "x86_64", target_feature = "sse2"))))]
derived!(portable::Lanes);

#[cfg(test)]
mod tests {
    /// The mask of the bytes of `b` for which `f` holds.
    fn want(b: &[u8; 16], f: impl Fn(u8) -> bool) -> u16 {
        (0..16).fold(0, |m, k| m | u16::from(f(b[k])) << k)
    }

    /// What [`Lanes::eq`](super::Lanes::eq) answers for a pair of bytes.
    fn equal(a: u8, b: u8) -> u8 {
        if a == b { 0xFF } else { 0 }
    }

    /// The property test of every operation, for one implementation: each answer is compared
    /// byte for byte with what the bytes give one at a time.
    macro_rules! answers_as_the_bytes_do {
        ($name:ident, $lanes:ty) => {
            proptest::proptest! {
                #![proptest_config(proptest::prelude::ProptestConfig::with_cases(5_000))]

                #[test]
                fn $name(
                    a in proptest::array::uniform16(proptest::num::u8::ANY),
                    b in proptest::array::uniform16(proptest::num::u8::ANY),
                    lo in proptest::num::u8::ANY,
                    span in proptest::num::u8::ANY,
                ) {
                    let hi = lo.saturating_add(span);
                    let (x, y) = (<$lanes>::load(&a), <$lanes>::load(&b));
                    // Every byte of `l` is the byte of `each` for the same pair.
                    let is = |l: $lanes, each: fn(u8, u8) -> u8| {
                        let bytes: [u8; 16] = std::array::from_fn(|k| each(a[k], b[k]));
                        l.eq(<$lanes>::load(&bytes)).high_bits() == u16::MAX
                    };
                    proptest::prop_assert!(is(x, |a, _| a));
                    proptest::prop_assert!(is(x.sub(y), u8::wrapping_sub));
                    proptest::prop_assert!(is(x.min(y), u8::min));
                    proptest::prop_assert!(is(x.max(y), u8::max));
                    proptest::prop_assert!(is(x.or(y), |a, b| a | b));
                    proptest::prop_assert!(is(x.eq(y), equal));
                    proptest::prop_assert_eq!(x.high_bits(), want(&a, |v| v >= 0x80));
                    proptest::prop_assert_eq!(<$lanes>::splat(lo).high_bits(), want(&[lo; 16], |v| v >= 0x80));
                    proptest::prop_assert!(<$lanes>::splat(lo).eq(<$lanes>::load(&[lo; 16])).high_bits() == u16::MAX);
                    // The range tests answer 0xFF or 0x00 in each lane.
                    let range = x.in_range(lo, hi);
                    proptest::prop_assert_eq!(range.high_bits(), want(&a, |v| (lo..=hi).contains(&v)));
                    proptest::prop_assert!(range.eq(<$lanes>::splat(0)).or(range.eq(<$lanes>::splat(0xFF))).high_bits() == u16::MAX);
                    let least = x.at_least(lo);
                    proptest::prop_assert_eq!(least.high_bits(), want(&a, |v| v >= lo));
                    proptest::prop_assert!(least.eq(<$lanes>::splat(0)).or(least.eq(<$lanes>::splat(0xFF))).high_bits() == u16::MAX);
                }
            }
        };
    }

    #[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
    answers_as_the_bytes_do!(sse2_answers_as_the_bytes_do, super::sse2::Lanes);

    answers_as_the_bytes_do!(portable_answers_as_the_bytes_do, super::portable::Lanes);
}
