//! Text folded for search: lower case, without diacritics, so "zoe", "ZOË" and "zoë"
//! (composed or decomposed, as macOS file names are) all find each other. Keys and terms
//! are folded the same way (catalog/search.rs).

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// `text` decomposed, stripped of combining marks, lower-cased.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.nfd().filter(|c| !is_combining_mark(*c)) {
        out.extend(ch.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accents_and_case_fold_both_ways() {
        assert_eq!(fold("Zoë"), "zoe");
        assert_eq!(fold("zoe\u{308}"), "zoe", "decomposed, as macOS writes file names");
        assert_eq!(fold("ÅNGSTRÖM"), "angstrom");
        assert_eq!(fold("Crème Brûlée/x.mp4"), "creme brulee/x.mp4");
        assert_eq!(fold("ÆØ"), "æø", "letters that are not a base plus a mark stay");
        assert_eq!(fold(""), "");
    }
}
