//! What the read state knows an article by: a stable hash of its decoded text.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A 128-bit XXH3 hash of an article's decoded text: the same text gives the same fingerprint
/// on every run, machine and kiosque version, because XXH3's output is fixed by its
/// specification.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Fingerprint(pub(crate) u128);

/// The fingerprint of an article's text after decoding, so the same article saved in another
/// encoding keeps its marks; any edit to the text makes it another article.
pub fn fingerprint(text: &str) -> Fingerprint {
    Fingerprint(xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
}

impl fmt::Display for Fingerprint {
    /// 32 lowercase hex digits, as in the state file.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.0)
    }
}

impl FromStr for Fingerprint {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        // `from_str_radix` alone would also take a sign or fewer digits.
        if s.len() != 32 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("{s:?} is not a fingerprint (32 hex digits)"));
        }
        u128::from_str_radix(s, 16)
            .map(Fingerprint)
            .map_err(|e| format!("{s:?} is not a fingerprint: {e}"))
    }
}

impl From<Fingerprint> for String {
    fn from(f: Fingerprint) -> Self {
        f.to_string()
    }
}

impl TryFrom<String> for Fingerprint {
    type Error = String;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}
