//! Whether a scan is inside a JSON double-quoted string: the remark finder, the QMP
//! value scanner and the nan/inf quoter all skip strings the same way.

#[derive(Clone, Copy, Debug, Default)]
pub struct Quotes {
    inside: bool,
    escaped: bool,
}

impl Quotes {
    /// Feed one character; true when it belongs to a string (its quotes included).
    pub fn step(&mut self, c: char) -> bool {
        if self.inside {
            match (self.escaped, c) {
                (true, _) => self.escaped = false,
                (false, '\\') => self.escaped = true,
                (false, '"') => self.inside = false,
                _ => {}
            }
            true
        } else {
            self.inside = c == '"';
            self.inside
        }
    }

    pub fn inside(&self) -> bool {
        self.inside
    }
}

#[cfg(test)]
mod tests {
    use super::Quotes;

    #[test]
    fn escaped_quotes_stay_inside() {
        let mut q = Quotes::default();
        let inside: String = r#"a"b\"c"d"#.chars().map(|c| if q.step(c) { 's' } else { '.' }).collect();
        assert_eq!(inside, ".ssssss.");
        assert!(!q.inside());
    }
}
