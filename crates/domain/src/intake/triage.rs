//! What triage writes to the referrer (issue 12): the reason of a rejection
//! and the message of an information request are required, since the
//! referrer and the person act on them. The web form and the store both
//! parse through [`Explanation`], so the rule is written once.

/// A rejection's reason or an information request's message: trimmed, never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation(String);

impl Explanation {
    pub fn parse(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        (!trimmed.is_empty()).then(|| Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_explanation_is_trimmed_and_never_empty() {
        assert_eq!(Explanation::parse(""), None);
        assert_eq!(Explanation::parse(" \n\t "), None);
        assert_eq!(
            Explanation::parse("  Pas d'élément de traite \n").map(|e| e.as_str().to_owned()),
            Some("Pas d'élément de traite".to_owned())
        );
    }
}
