//! Turns the bytes of a file into text: UTF-8 (byte order mark dropped), UTF-16 by its byte
//! order mark, else the legacy encoding `chardetng` guesses (windows-1252 for old French files).

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};

/// Decoded text, with the encoding it came from when that was not plain UTF-8.
#[derive(Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Option<&'static str>,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("binary file (contains NUL bytes)")]
    Nul,
    #[error("binary file (mostly control bytes)")]
    MostlyControls,
}

/// Share of control characters above which decoded text is taken for binary data.
const MAX_CONTROL_SHARE: f64 = 0.10;

pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_owned(bytes.to_vec())
}

/// Like [`decode`], taking the bytes: UTF-8 text, the common case, is then kept as it was
/// read, without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    let bytes = match String::from_utf8(bytes) {
        Ok(text) if !text.starts_with('\u{feff}') => {
            if memchr::memchr(0, text.as_bytes()).is_some() {
                return Err(DecodeError::Nul);
            }
            return checked(text, None);
        }
        Ok(text) => text.into_bytes(),
        Err(err) => err.into_bytes(),
    };
    let bytes = &bytes[..];
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        if encoding == UTF_8 {
            if let Ok(text) = std::str::from_utf8(body) {
                return checked(text.to_owned(), None);
            }
        }
        let (text, had_errors) = encoding.decode_without_bom_handling(body);
        let name = match (encoding, had_errors) {
            (e, _) if e == UTF_16LE => "UTF-16LE",
            (e, _) if e == UTF_16BE => "UTF-16BE",
            _ => "UTF-8 (invalid bytes replaced)",
        };
        return checked(text.into_owned(), Some(name));
    }
    if memchr::memchr(0, bytes).is_some() {
        return Err(DecodeError::Nul);
    }
    // ISO-2022-JP is made of escape sequences: never guessed. UTF-8 was ruled out above.
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let encoding = detector.guess(None, Utf8Detection::Deny);
    let (text, _, _) = encoding.decode(bytes);
    checked(text.into_owned(), Some(encoding.name()))
}

/// How many of `bytes` are `counted`. Branch-free, in runs of 255 counted in one byte each,
/// which the compiler turns into vector code (a byte a lane): this runs on every byte of
/// every article at load.
fn count_bytes(bytes: &[u8], counted: impl Fn(u8) -> bool) -> usize {
    bytes
        .chunks(255)
        .map(|run| {
            let n = run.iter().fold(0u8, |n, &b| n + u8::from(counted(b)));
            usize::from(n)
        })
        .sum()
}

/// Refuses text that is mostly control characters: that is a binary file, not an article.
/// Counted on the bytes of the first 64 KiB, where a character is a byte that does not
/// continue another, a C0 control a byte below 0x20 (but tab, newline, form feed and
/// carriage return), DEL 0x7F, and a C1 control the two bytes C2 80..C2 9F.
fn checked(text: String, encoding: Option<&'static str>) -> Result<Decoded, DecodeError> {
    let bytes = &text.as_bytes()[..text.len().min(64 * 1024)];
    let c0 = count_bytes(bytes, |b| {
        let space = (b == b'\t') | (b == b'\n') | (b == b'\r') | (b == 0x0C);
        ((b < 0x20) & !space) | (b == 0x7F)
    });
    let c1 = memchr::memchr_iter(0xC2, bytes)
        .filter(|&i| bytes.get(i + 1).is_some_and(|b| (0x80..=0x9F).contains(b)))
        .count();
    let controls = c0 + c1;
    // Nearly every article has none: its characters need not be counted.
    if controls == 0 {
        return Ok(Decoded { text, encoding });
    }
    let chars = count_bytes(bytes, |b| b & 0xC0 != 0x80);
    if chars > 0 && controls as f64 / chars as f64 > MAX_CONTROL_SHARE {
        return Err(DecodeError::MostlyControls);
    }
    Ok(Decoded { text, encoding })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let plain = decode("sécurité".as_bytes()).unwrap();
        assert_eq!(plain.text, "sécurité");
        assert_eq!(plain.encoding, None);
        let bom = decode(b"\xEF\xBB\xBFs\xC3\xA9curit\xC3\xA9").unwrap();
        assert_eq!(bom.text, "sécurité");
        assert_eq!(bom.encoding, None);
    }

    #[test]
    fn windows_1252_french() {
        let (bytes, _, _) = encoding_rs::WINDOWS_1252
            .encode("date 2024-01-02 La sécurité « renforcée » à l’hôpital coûte 5 € de plus. Un élève a dit qu’il était très déçu.");
        let d = decode(&bytes).unwrap();
        assert!(
            d.text
                .contains("La sécurité « renforcée » à l’hôpital coûte 5 €"),
            "{}",
            d.text
        );
        assert_eq!(d.encoding, Some("windows-1252"));
    }

    #[test]
    fn utf16_by_bom() {
        let mut le = vec![0xFF, 0xFE];
        for u in "Été".encode_utf16() {
            le.extend(u.to_le_bytes());
        }
        assert_eq!(decode(&le).unwrap().text, "Été");
        assert_eq!(decode(&le).unwrap().encoding, Some("UTF-16LE"));
        let mut be = vec![0xFE, 0xFF];
        for u in "Été".encode_utf16() {
            be.extend(u.to_be_bytes());
        }
        assert_eq!(decode(&be).unwrap().text, "Été");
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(decode(b"PK\x03\x04\x00\x00abc"), Err(DecodeError::Nul));
        assert_eq!(decode(b"text\x00more"), Err(DecodeError::Nul));
        assert_eq!(
            decode(b"\x01\x02\x03\x04\x05\x06abc"),
            Err(DecodeError::MostlyControls)
        );
        // C1 controls count too, as the two bytes UTF-8 makes of them.
        let c1: String = "\u{85}\u{9b}\u{90}a".repeat(10);
        assert_eq!(decode(c1.as_bytes()), Err(DecodeError::MostlyControls));
        // Text with a few controls is text.
        let mostly_text = format!("{}\u{1b}[0m", "Texte ordinaire. ".repeat(10));
        assert!(decode(mostly_text.as_bytes()).is_ok());
    }
}
